// Marking a key Compromised: first what it would revoke (every certificate bound to the key and,
// for a CA key, everything it issued), then one confirmed, audited step that does it all.
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import type { CompromisePlan } from '../../../shared/bridge/lifecycle-dto';
import type { KeyDto, Request } from '../../../shared/contract';
import { call } from '../../client/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { WorkProgress } from '../../components/WorkProgress';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';
import { routeHref } from '../../navigation/routes';

function PlanTable(props: { title: string; items: CompromisePlan['bound']; total: number }) {
  if (props.total === 0) return null;
  return (
    <>
      <Typography variant="h3" sx={{ mt: 2 }}>
        {props.title} ({props.total})
      </Typography>
      <Table size="small" aria-label={props.title}>
        <TableHead>
          <TableRow>
            <TableCell>Subject</TableCell>
            <TableCell>Serial</TableCell>
            <TableCell>Now</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.items.map((item) => (
            <TableRow key={item.id}>
              <TableCell>
                <Link href={routeHref({ page: 'certificate', id: item.id })}>{item.subject}</Link>
              </TableCell>
              <TableCell sx={{ fontFamily: 'monospace' }}>{item.serialNumber}</TableCell>
              <TableCell>
                {item.status === 'revoked' ? 'already revoked' : 'will be revoked'}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {props.items.length < props.total && (
        <Typography variant="body2" color="text.secondary">
          … and {props.total - props.items.length} more.
        </Typography>
      )}
    </>
  );
}

export function CompromiseDialog(props: {
  keyDto: KeyDto;
  onClose: () => void;
  onDone: (key: KeyDto) => void;
}) {
  const { keyDto } = props;
  const plan = useLoad(() => call('keys:compromise-plan', { id: keyDto.id }), [keyDto.id]);
  const [reason, setReason] = useState('');
  const [since, setSince] = useState('');
  const [confirmed, setConfirmed] = useState(false);

  const compromise = useAction(async () => {
    const request: Request<'keys:compromise'> = {
      id: keyDto.id,
      reason: reason.trim(),
      confirmed: true,
    };
    if (since) request.compromisedAt = new Date(since).toISOString();
    const result = await call('keys:compromise', request);
    props.onDone(result.key);
  });

  const value = plan.value;
  const ready = Boolean(value) && reason.trim() !== '' && confirmed;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (ready) void compromise.run();
  };

  return (
    <Dialog open onClose={props.onClose} fullWidth maxWidth="md" aria-labelledby="compromise-title">
      <form onSubmit={submit} noValidate>
        <DialogTitle id="compromise-title">Mark {keyDto.label} Compromised</DialogTitle>
        <DialogContent>
          <DialogContentText>
            A Compromised key never signs again (NIST SP 800-57 §5.3.5). Every certificate that
            vouches for it is revoked: keyCompromise for the key&apos;s own certificates,
            cACompromise for a CA certificate and for everything the CA issued (RFC 5280 §5.3.1).
          </DialogContentText>
          <Loading loading={plan.loading && !value} error={plan.error} />
          {value && (
            <section aria-label="Compromise plan">
              <Alert severity={value.toRevoke > 0 ? 'warning' : 'info'} sx={{ mt: 2 }}>
                {value.toRevoke > 0
                  ? `${value.toRevoke} certificate(s) will be revoked: ${value.boundCount} bound to the key, ${value.issuedCount} issued by it.`
                  : 'No valid certificate vouches for this key; only its state changes.'}
              </Alert>
              <PlanTable title="Bound to this key" items={value.bound} total={value.boundCount} />
              <PlanTable
                title="Issued by this key"
                items={value.issued}
                total={value.issuedCount}
              />
            </section>
          )}
          <TextField
            label="Why is the key thought compromised?"
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            required
            multiline
            minRows={2}
            disabled={compromise.pending}
          />
          <TextField
            label="Compromised since (optional)"
            type="datetime-local"
            value={since}
            onChange={(event) => setSince(event.target.value)}
            disabled={compromise.pending}
            helperText="The invalidity date on the revocations; now when left empty."
            slotProps={{ inputLabel: { shrink: true } }}
          />
          <FormControlLabel
            control={
              <Checkbox
                checked={confirmed}
                onChange={(event) => setConfirmed(event.target.checked)}
                disabled={!value}
              />
            }
            label={`I confirm: mark the key Compromised and revoke ${value?.toRevoke ?? 0} certificate(s)`}
          />
          <WorkProgress
            active={compromise.pending}
            channel="keys:compromise"
            label="Marking the key Compromised"
          />
          <ErrorAlert error={compromise.error} onClose={compromise.clearError} />
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onClose}>Cancel</Button>
          <Button
            type="submit"
            variant="contained"
            color="error"
            disabled={!ready || compromise.pending}
          >
            Mark compromised and revoke
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
