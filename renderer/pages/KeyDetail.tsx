// One key: its metadata, what its state allows, and the lifecycle transitions. Transitions the
// shared NIST SP 800-57 table forbids are greyed out here; the main process refuses them anyway.
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import type { KeyDto } from '../../shared/contract';
import {
  allowedTransitions,
  KEY_OPERATIONS,
  STATE_LABELS,
  isOperationAllowed,
  type KeyState,
} from '../../shared/lifecycle';
import { call } from '../client/client';
import { CopyButton } from '../components/CopyButton';
import { DetailTable } from '../components/DetailTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { StateChip } from '../components/StateChip';
import { formatDateTime } from '../format/dates';
import { colonHex } from '../format/fingerprint';
import { ALGORITHM_LABELS, PROVIDER_LABELS, PURPOSE_LABELS } from '../format/labels';
import { MONOSPACE } from '../theme';
import { useAction } from '../hooks/useAction';
import { useLoad } from '../hooks/useLoad';
import { routeHref } from '../navigation/routes';
import { CompromiseDialog } from './lifecycle/CompromiseDialog';

/** The transitions an officer starts from this page, in lifecycle order (§5.3). */
const ACTIONS: {
  to: KeyState;
  label: (from: KeyState) => string;
  colour: 'primary' | 'warning' | 'error';
}[] = [
  {
    to: 'active',
    label: (from) => (from === 'suspended' ? 'Resume' : 'Activate'),
    colour: 'primary',
  },
  { to: 'suspended', label: () => 'Suspend', colour: 'warning' },
  { to: 'deactivated', label: () => 'Deactivate', colour: 'warning' },
  { to: 'compromised', label: () => 'Mark compromised', colour: 'error' },
  { to: 'destroyed', label: () => 'Destroy', colour: 'error' },
];

function TransitionDialog(props: {
  keyDto: KeyDto;
  to: KeyState;
  onClose: () => void;
  onDone: (key: KeyDto) => void;
}) {
  const { keyDto, to } = props;
  const [reason, setReason] = useState('');
  const [understood, setUnderstood] = useState(false);
  const [typedLabel, setTypedLabel] = useState('');
  const destroying = to === 'destroyed';
  const confirmed = !destroying || (understood && typedLabel === keyDto.label);

  const transition = useAction(async () => {
    props.onDone(await call('keys:transition', { id: keyDto.id, to, reason: reason.trim() }));
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim() && confirmed) void transition.run();
  };

  return (
    <Dialog open onClose={props.onClose} fullWidth maxWidth="sm" aria-labelledby="transition-title">
      <form onSubmit={submit} noValidate>
        <DialogTitle id="transition-title">
          {STATE_LABELS[keyDto.state]} → {STATE_LABELS[to]}: {keyDto.label}
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            No key goes back to an earlier phase. The reason is written to the audit trail.
          </DialogContentText>
          {destroying && (
            <Alert severity="error" sx={{ mt: 2 }}>
              Destroying erases the private key material for good. Only the metadata stays, for the
              record. Certificates made with this key can no longer be renewed with it.
            </Alert>
          )}
          <TextField
            label="Reason"
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            required
            multiline
            minRows={2}
            autoFocus
            disabled={transition.pending}
          />
          {destroying && (
            <>
              <TextField
                label={`Type the key's label (${keyDto.label}) to confirm`}
                value={typedLabel}
                onChange={(event) => setTypedLabel(event.target.value)}
                required
                disabled={transition.pending}
              />
              <FormControlLabel
                control={
                  <Checkbox
                    checked={understood}
                    onChange={(event) => setUnderstood(event.target.checked)}
                  />
                }
                label="I understand the key material will be destroyed permanently."
              />
            </>
          )}
          <ErrorAlert error={transition.error} onClose={transition.clearError} />
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onClose}>Cancel</Button>
          <Button
            type="submit"
            variant="contained"
            color={destroying || to === 'compromised' ? 'error' : 'primary'}
            disabled={!reason.trim() || !confirmed || transition.pending}
          >
            {destroying ? 'Destroy the key' : `Make ${STATE_LABELS[to]}`}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

export function KeyDetail({ id }: { id: string }) {
  const loaded = useLoad(() => call('keys:get', { id }), [id]);
  const [updated, setUpdated] = useState<KeyDto>();
  const [pending, setPending] = useState<KeyState>();
  const key = updated?.id === id ? updated : loaded.value;

  if (!key) return <Loading loading={loaded.loading} error={loaded.error} />;
  const permitted = allowedTransitions(key.state);

  return (
    <>
      <PageHeader
        title={key.label}
        subtitle={<>Key {key.id}</>}
        actions={<StateChip state={key.state} size="medium" />}
      />
      <Stack spacing={3}>
        {(key.state === 'active' || key.state === 'suspended') &&
          Date.parse(key.cryptoperiodEnds) < Date.now() && (
            <Alert severity="warning">
              This key is past its cryptoperiod (ended {formatDateTime(key.cryptoperiodEnds)}): NIST
              SP 800-57 §5.3 says to stop applying protection with it. Renew its certificates with
              Regenerate, or deactivate it.
            </Alert>
          )}
        <Paper component="section" aria-label="Lifecycle" sx={{ p: 2 }}>
          <Typography variant="h2" sx={{ mb: 1 }}>
            Lifecycle
          </Typography>
          <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', mb: 2 }}>
            {ACTIONS.filter((action) => action.to !== key.state).map((action) => {
              const allowed = permitted.includes(action.to);
              const button = (
                <Button
                  variant="outlined"
                  color={action.colour}
                  disabled={!allowed}
                  onClick={() => setPending(action.to)}
                >
                  {action.label(key.state)}
                </Button>
              );
              return allowed ? (
                <Box key={action.to}>{button}</Box>
              ) : (
                <Tooltip
                  key={action.to}
                  title={`A ${STATE_LABELS[key.state]} key cannot become ${STATE_LABELS[action.to]} (NIST SP 800-57).`}
                >
                  {/* A disabled button gets no pointer events; the span carries the tooltip. */}
                  <span>{button}</span>
                </Tooltip>
              );
            })}
          </Stack>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
            Operations in this state:
          </Typography>
          <Stack
            direction="row"
            spacing={1}
            useFlexGap
            sx={{ flexWrap: 'wrap' }}
            aria-label="Operations"
          >
            {KEY_OPERATIONS.map((operation) => {
              const allowed = isOperationAllowed(key.state, operation);
              return (
                <Chip
                  key={operation}
                  size="small"
                  label={operation}
                  color={allowed ? 'success' : 'default'}
                  variant={allowed ? 'filled' : 'outlined'}
                  aria-label={`${operation}: ${allowed ? 'allowed' : 'not allowed'}`}
                  sx={allowed ? undefined : { textDecoration: 'line-through', opacity: 0.6 }}
                />
              );
            })}
          </Stack>
          {key.stateReason && (
            <Typography variant="body2" sx={{ mt: 2 }}>
              Last change {formatDateTime(key.stateChangedAt)}: {key.stateReason}
            </Typography>
          )}
        </Paper>

        <Paper component="section" aria-label="Details" sx={{ p: 2 }}>
          <Typography variant="h2" sx={{ mb: 1 }}>
            Details
          </Typography>
          <DetailTable
            rows={[
              ['Algorithm', ALGORITHM_LABELS[key.algorithm]],
              ['Purpose', PURPOSE_LABELS[key.purpose]],
              ['Store', PROVIDER_LABELS[key.provider]],
              ['Owner', key.owner || '—'],
              ['Created', formatDateTime(key.createdAt)],
              ['Activation', key.activationDate ? formatDateTime(key.activationDate) : '—'],
              ['Deactivation', key.deactivationDate ? formatDateTime(key.deactivationDate) : '—'],
              [
                'Cryptoperiod',
                `${key.cryptoperiodDays} days, ends ${formatDateTime(key.cryptoperiodEnds)}`,
              ],
              ['Key material', key.hasMaterial ? 'Present' : 'Destroyed (metadata only)'],
              [
                'Certificates',
                <Link key="certs" href={routeHref({ page: 'certificates', key: key.id })}>
                  Certificates of this key
                </Link>,
              ],
              [
                'SPKI SHA-256',
                <code key="fp" style={{ fontFamily: MONOSPACE, wordBreak: 'break-all' }}>
                  {colonHex(key.spkiSha256)}
                </code>,
              ],
            ]}
          />
        </Paper>

        <Paper component="section" aria-label="Public key" sx={{ p: 2 }}>
          <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between' }}>
            <Typography variant="h2">Public key</Typography>
            <CopyButton text={key.publicKeyPem} label="Copy PEM" />
          </Stack>
          <Box
            component="pre"
            sx={{ fontFamily: MONOSPACE, fontSize: 12, overflowX: 'auto', m: 0, mt: 1 }}
          >
            {key.publicKeyPem}
          </Box>
        </Paper>
      </Stack>
      {pending === 'compromised' && (
        <CompromiseDialog
          keyDto={key}
          onClose={() => setPending(undefined)}
          onDone={(next) => {
            setUpdated(next);
            setPending(undefined);
          }}
        />
      )}
      {pending && pending !== 'compromised' && (
        <TransitionDialog
          keyDto={key}
          to={pending}
          onClose={() => setPending(undefined)}
          onDone={(next) => {
            setUpdated(next);
            setPending(undefined);
          }}
        />
      )}
    </>
  );
}
