// Rotation: the certificates due (within the lead time of their rotation interval or of expiry),
// a dry run that shows what would happen, and the run itself, through the same service as
// `mazevault rotate --due` from cron.
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import type { KeyPolicyName } from '../../../shared/bridge/lifecycle-constants';
import type { RotationPolicyDto, RotationRunDto } from '../../../shared/bridge/lifecycle-dto';
import type { Request } from '../../../shared/contract';
import { call } from '../../client/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { WorkProgress } from '../../components/WorkProgress';
import { formatDateTime } from '../../format/dates';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';
import { routeHref } from '../../navigation/routes';
import { RotationScheduleCard } from './RotationSchedule';

const ACTION_LABELS = {
  renew: 'Renew',
  'ca-rollover': 'CA rollover (ceremony)',
  manual: 'Manual',
} as const;

const OUTCOME_COLOURS = {
  'would-rotate': 'info',
  rotated: 'success',
  skipped: 'default',
  failed: 'error',
} as const;

const SCOPE_LABELS: Record<RotationPolicyDto['scope'], string> = {
  vault: 'Vault default',
  profile: 'Profile',
  certificate: 'Certificate',
};

function Policies({ onChanged }: { onChanged: () => void }) {
  const policies = useLoad(() => call('rotation:policies'), []);
  const [scope, setScope] = useState<RotationPolicyDto['scope']>('vault');
  const [target, setTarget] = useState('');
  const [interval, setIntervalDays] = useState('');
  const [lead, setLead] = useState('30');
  const [keyPolicy, setKeyPolicy] = useState<KeyPolicyName>('regenerate');
  const [saved, setSaved] = useState<string>();
  const whole = (text: string, min: number) => /^\d{1,5}$/.test(text.trim()) && Number(text) >= min;
  const intervalInvalid = interval.trim() !== '' && !whole(interval, 1);
  const leadInvalid = !whole(lead, 0);
  const targetMissing = scope !== 'vault' && !target.trim();

  const save = useAction(async () => {
    setSaved(undefined);
    const request: Request<'rotation:set-policy'> = {
      scope,
      intervalDays: interval.trim() ? Number(interval) : null,
      leadDays: Number(lead),
      keyPolicy,
    };
    if (scope !== 'vault') request.target = target.trim();
    const result = await call('rotation:set-policy', request);
    setSaved(`Policy saved; ${result.due} certificate(s) due now.`);
    policies.reload();
    onChanged();
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!intervalInvalid && !leadInvalid && !targetMissing) void save.run();
  };

  return (
    <Paper component="section" aria-label="Rotation policies" sx={{ p: 2 }}>
      <Typography variant="h2" sx={{ mb: 1 }}>
        Policies
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        A certificate's own policy wins over its profile's, which wins over the vault default. Due
        means within the lead time of the interval or of expiry.
      </Typography>
      <ErrorAlert error={policies.error} />
      {policies.value && policies.value.policies.length > 0 && (
        <Table size="small" aria-label="Rotation policies in force">
          <TableHead>
            <TableRow>
              <TableCell>Scope</TableCell>
              <TableCell>For</TableCell>
              <TableCell>Interval</TableCell>
              <TableCell>Lead time</TableCell>
              <TableCell>Key policy</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {policies.value.policies.map((policy) => (
              <TableRow key={`${policy.scope}:${policy.target}`}>
                <TableCell>{SCOPE_LABELS[policy.scope]}</TableCell>
                <TableCell>
                  {policy.scope === 'vault' ? 'every certificate' : policy.target}
                </TableCell>
                <TableCell>
                  {policy.intervalDays === null ? 'on expiry' : `${policy.intervalDays} days`}
                </TableCell>
                <TableCell>{policy.leadDays} days</TableCell>
                <TableCell>{policy.keyPolicy}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <form onSubmit={submit} noValidate aria-label="Set a rotation policy">
        <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ mt: 2 }}>
          <TextField
            select
            label="Scope"
            value={scope}
            onChange={(event) => setScope(event.target.value as RotationPolicyDto['scope'])}
            sx={{ minWidth: 170 }}
          >
            {(['vault', 'profile', 'certificate'] as const).map((option) => (
              <MenuItem key={option} value={option}>
                {SCOPE_LABELS[option]}
              </MenuItem>
            ))}
          </TextField>
          {scope !== 'vault' && (
            <TextField
              label={scope === 'profile' ? 'Profile name' : 'Certificate id'}
              value={target}
              onChange={(event) => setTarget(event.target.value)}
              helperText={scope === 'profile' ? 'tls-server, tls-client, sub-ca or root-ca' : ' '}
              required
            />
          )}
          <TextField
            label="Interval (days)"
            value={interval}
            onChange={(event) => setIntervalDays(event.target.value)}
            error={intervalInvalid}
            helperText={intervalInvalid ? 'Whole days, at least 1.' : 'Empty: on expiry only.'}
          />
          <TextField
            label="Lead time (days)"
            value={lead}
            onChange={(event) => setLead(event.target.value)}
            error={leadInvalid}
            helperText={leadInvalid ? 'Whole days from 0.' : ' '}
            required
          />
          <TextField
            select
            label="Key policy"
            value={keyPolicy}
            onChange={(event) => setKeyPolicy(event.target.value as KeyPolicyName)}
            sx={{ minWidth: 160 }}
          >
            <MenuItem value="regenerate">Regenerate</MenuItem>
            <MenuItem value="reuse">Reuse</MenuItem>
          </TextField>
        </Stack>
        <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
          <Button
            type="submit"
            variant="outlined"
            disabled={save.pending || intervalInvalid || leadInvalid || targetMissing}
          >
            Save policy
          </Button>
          {saved && (
            <Typography variant="body2" role="status">
              {saved}
            </Typography>
          )}
        </Stack>
        <ErrorAlert error={save.error} onClose={save.clearError} />
      </form>
    </Paper>
  );
}

function RunResult({ run }: { run: RotationRunDto }) {
  return (
    <Paper component="section" aria-label="Rotation result" sx={{ p: 2 }}>
      <Typography variant="h2" sx={{ mb: 1 }}>
        {run.dryRun ? 'Dry run' : 'Rotation run'} at {formatDateTime(run.at)}
      </Typography>
      <Typography variant="body2" role="status" sx={{ mb: 1 }}>
        {run.dryRun
          ? `${run.items.filter((item) => item.outcome === 'would-rotate').length} would be renewed, ${run.skipped} skipped; nothing changed.`
          : `Rotated ${run.rotated}, skipped ${run.skipped}, failed ${run.failed}.`}
      </Typography>
      <Table size="small" aria-label="Rotation outcomes">
        <TableHead>
          <TableRow>
            <TableCell>Certificate</TableCell>
            <TableCell>Outcome</TableCell>
            <TableCell>Successor</TableCell>
            <TableCell>Note</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {run.items.map((item) => (
            <TableRow key={item.certId}>
              <TableCell>
                <Link href={routeHref({ page: 'certificate', id: item.certId })}>
                  {item.subject}
                </Link>
              </TableCell>
              <TableCell>
                <Chip size="small" label={item.outcome} color={OUTCOME_COLOURS[item.outcome]} />
              </TableCell>
              <TableCell>
                {item.successorId ? (
                  <Link href={routeHref({ page: 'certificate', id: item.successorId })}>
                    successor
                  </Link>
                ) : (
                  '—'
                )}
              </TableCell>
              <TableCell>{item.message ?? ''}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Paper>
  );
}

export function RotationPage() {
  const due = useLoad(() => call('rotation:due', { limit: 500 }), []);
  const [confirmed, setConfirmed] = useState(false);
  const [run, setRun] = useState<RotationRunDto>();

  const rotate = useAction(async (dryRun: boolean) => {
    setRun(undefined);
    setRun(await call('rotation:run', { dryRun }));
    setConfirmed(false);
    due.reload();
  });

  const value = due.value;
  return (
    <>
      <PageHeader
        title="Rotation"
        subtitle="Certificates due for renewal by their rotation policy or their expiry."
        actions={
          <>
            <Button
              variant="outlined"
              onClick={() => void rotate.run(true)}
              disabled={rotate.pending || !value?.total}
            >
              Dry run
            </Button>
            <Button
              variant="contained"
              onClick={() => void rotate.run(false)}
              disabled={rotate.pending || !confirmed || !value?.total}
            >
              Rotate now
            </Button>
          </>
        }
      />
      <Stack spacing={3}>
        <Loading loading={due.loading && !value} error={due.error} />
        {value && (
          <Paper component="section" aria-label="Due for rotation" sx={{ p: 2 }}>
            <Stack
              direction="row"
              sx={{ alignItems: 'center', justifyContent: 'space-between', mb: 1 }}
            >
              <Typography variant="h2">Due now: {value.total.toLocaleString()}</Typography>
              <FormControlLabel
                control={
                  <Checkbox
                    checked={confirmed}
                    onChange={(event) => setConfirmed(event.target.checked)}
                    disabled={!value.total}
                  />
                }
                label="Renew every certificate listed as Renew"
              />
            </Stack>
            {value.total === 0 ? (
              <Typography variant="body2" color="text.secondary">
                Nothing is due for rotation.
              </Typography>
            ) : (
              <Table size="small" aria-label="Certificates due">
                <TableHead>
                  <TableRow>
                    <TableCell>Certificate</TableCell>
                    <TableCell>Due</TableCell>
                    <TableCell>Expires</TableCell>
                    <TableCell>Trigger</TableCell>
                    <TableCell>Key policy</TableCell>
                    <TableCell>Action</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {value.items.map((item) => (
                    <TableRow key={item.certId}>
                      <TableCell>
                        <Link href={routeHref({ page: 'certificate', id: item.certId })}>
                          {item.subject}
                        </Link>
                      </TableCell>
                      <TableCell>{formatDateTime(item.dueAt)}</TableCell>
                      <TableCell>{formatDateTime(item.notAfter)}</TableCell>
                      <TableCell>{item.trigger}</TableCell>
                      <TableCell>{item.keyPolicy}</TableCell>
                      <TableCell title={item.note}>{ACTION_LABELS[item.action]}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
            {value.items.length < value.total && (
              <Alert severity="info" sx={{ mt: 1 }}>
                Showing the first {value.items.length} of {value.total}; a run renews them all.
              </Alert>
            )}
          </Paper>
        )}
        <WorkProgress
          active={rotate.pending}
          channel="rotation:run"
          label="Rotating the certificates that are due"
        />
        <ErrorAlert error={rotate.error} onClose={rotate.clearError} />
        {run && <RunResult run={run} />}
        <Policies onChanged={due.reload} />
        <RotationScheduleCard />
      </Stack>
    </>
  );
}
