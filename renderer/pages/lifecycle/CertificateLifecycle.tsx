// One certificate's lifecycle on its page: revocation status, predecessor and successor, when
// rotation makes it due, and the officer's actions: Renew (Regenerate or Reuse), Revoke (RFC 5280
// reason and time, confirmed), and for a CA the key rollover and its CRLs.
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import type { KeyPolicyName } from '../../../shared/bridge/lifecycle-constants';
import type { CertificateLifecycle as Lifecycle } from '../../../shared/bridge/lifecycle-dto';
import type { CertificateDetail, Request, Response } from '../../../shared/contract';
import {
  REVOCATION_REASON_LABELS,
  REVOCATION_REASONS,
  type RevocationReason,
} from '../../../shared/revocation-reasons';
import { call } from '../../client/client';
import { DetailTable } from '../../components/DetailTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { WorkProgress } from '../../components/WorkProgress';
import { OverrideReason } from '../../components/OverrideReason';
import { formatDateTime } from '../../format/dates';
import { parseSubjectAltNames } from '../../format/subjectAltNames';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';
import { routeHref } from '../../navigation/routes';

/** A datetime-local value for now, in the officer's time zone, to the minute. */
function localNow(): string {
  const now = new Date();
  now.setSeconds(0, 0);
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

function RenewDialog(props: {
  certificate: CertificateDetail;
  lifecycle: Lifecycle;
  onClose: () => void;
  onRenewed: () => void;
}) {
  const { certificate } = props;
  const [keyPolicy, setKeyPolicy] = useState<KeyPolicyName>(props.lifecycle.defaultKeyPolicy);
  const [subject, setSubject] = useState('');
  const [sans, setSans] = useState('');
  const [days, setDays] = useState('');
  const [revokeOld, setRevokeOld] = useState(false);
  const [overrideReason, setOverrideReason] = useState('');
  const [result, setResult] = useState<Response<'certificates:renew'>>();

  const renew = useAction(async () => {
    const request: Request<'certificates:renew'> = {
      id: certificate.id,
      keyPolicy,
      revokePredecessor: revokeOld,
    };
    if (subject.trim()) request.subject = subject.trim();
    if (sans.trim()) request.subjectAltNames = parseSubjectAltNames(sans);
    if (days.trim()) request.validity = { days: Number(days) };
    if (overrideReason.trim()) request.override = { reason: overrideReason.trim() };
    const renewed = await call('certificates:renew', request);
    setResult(renewed);
    props.onRenewed();
  });
  const daysInvalid = days.trim() !== '' && !/^[1-9]\d{0,4}$/.test(days.trim());
  // The main process refuses a validity outside the profile's policy with that sentence; the
  // officer may then give an audited reason, as on the issuance pages.
  const outsidePolicy = /outside the policy/.test(renew.error ?? '') || overrideReason !== '';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!daysInvalid) void renew.run();
  };

  return (
    <Dialog open onClose={props.onClose} fullWidth maxWidth="sm" aria-labelledby="renew-title">
      <form onSubmit={submit} noValidate>
        <DialogTitle id="renew-title">Renew {certificate.displayName}</DialogTitle>
        <DialogContent>
          {result ? (
            <Stack spacing={2} role="status" aria-label="Renewal result">
              <Alert severity="success">
                Renewed as{' '}
                <Link href={routeHref({ page: 'certificate', id: result.certificate.id })}>
                  {result.certificate.displayName} (serial {result.certificate.serialNumber})
                </Link>
                , valid until {formatDateTime(result.certificate.notAfter)}.
              </Alert>
              {result.deactivatedKeyId && (
                <Typography variant="body2">
                  The old key is now Deactivated: it still verifies, it no longer signs.
                </Typography>
              )}
              {result.warnings.map((warning) => (
                <Alert key={warning} severity="warning">
                  {warning}
                </Alert>
              ))}
            </Stack>
          ) : (
            <>
              <DialogContentText>
                The successor keeps the subject, names and profile unless you change them here; this
                certificate stays in the vault, linked to it.
              </DialogContentText>
              <FormControl sx={{ mt: 2 }}>
                <FormLabel id="key-policy-label">Key policy</FormLabel>
                <RadioGroup
                  aria-labelledby="key-policy-label"
                  value={keyPolicy}
                  onChange={(event) => setKeyPolicy(event.target.value as KeyPolicyName)}
                >
                  <FormControlLabel
                    value="regenerate"
                    control={<Radio />}
                    label="Regenerate: a new key pair (recommended)"
                  />
                  <FormControlLabel
                    value="reuse"
                    control={<Radio />}
                    label="Reuse: the same key, for systems that pin it"
                  />
                </RadioGroup>
              </FormControl>
              <TextField
                label="New subject (optional)"
                placeholder={certificate.subject}
                value={subject}
                onChange={(event) => setSubject(event.target.value)}
                disabled={renew.pending}
                helperText="Left empty: the same subject."
              />
              {!certificate.isCa && (
                <TextField
                  label="New subject alternative names (optional)"
                  value={sans}
                  onChange={(event) => setSans(event.target.value)}
                  multiline
                  minRows={2}
                  disabled={renew.pending}
                  helperText="One per line; left empty: the same names."
                />
              )}
              <TextField
                label="Validity in days (optional)"
                value={days}
                onChange={(event) => setDays(event.target.value)}
                disabled={renew.pending}
                error={daysInvalid}
                helperText={
                  daysInvalid
                    ? 'A whole number of days, e.g. 90.'
                    : 'Left empty: as long as this certificate.'
                }
                slotProps={{ htmlInput: { inputMode: 'numeric' } }}
              />
              <OverrideReason
                policy="the profile's validity policy"
                outside={outsidePolicy}
                value={overrideReason}
                onChange={setOverrideReason}
                disabled={renew.pending}
              />
              <FormControlLabel
                control={
                  <Checkbox
                    checked={revokeOld}
                    onChange={(event) => setRevokeOld(event.target.checked)}
                  />
                }
                label="Revoke this certificate as superseded once renewed"
              />
              <WorkProgress
                active={renew.pending}
                channel="certificates:renew"
                label="Renewing the certificate"
              />
            </>
          )}
          <ErrorAlert error={renew.error} onClose={renew.clearError} />
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onClose}>{result ? 'Close' : 'Cancel'}</Button>
          {!result && (
            <Button type="submit" variant="contained" disabled={renew.pending || daysInvalid}>
              Renew
            </Button>
          )}
        </DialogActions>
      </form>
    </Dialog>
  );
}

function RevokeDialog(props: {
  certificate: CertificateDetail;
  onClose: () => void;
  onRevoked: () => void;
}) {
  const { certificate } = props;
  const [reason, setReason] = useState<RevocationReason>('unspecified');
  const [at, setAt] = useState(localNow);
  // Left as shown, the time is "now" on the main process's clock: the field only shows minutes,
  // and a certificate issued this minute must not look revoked before it existed.
  const [atEdited, setAtEdited] = useState(false);
  const [invalidity, setInvalidity] = useState('');
  const [confirmed, setConfirmed] = useState(false);

  const revoke = useAction(async () => {
    const request: Request<'certificates:revoke'> = {
      id: certificate.id,
      reason,
      confirmed: true,
    };
    if (atEdited) request.at = new Date(at).toISOString();
    if (invalidity) request.invalidityDate = new Date(invalidity).toISOString();
    await call('certificates:revoke', request);
    props.onRevoked();
  });
  const atInvalid = Number.isNaN(Date.parse(at));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (confirmed && !atInvalid) void revoke.run();
  };

  return (
    <Dialog open onClose={props.onClose} fullWidth maxWidth="sm" aria-labelledby="revoke-title">
      <form onSubmit={submit} noValidate>
        <DialogTitle id="revoke-title">Revoke {certificate.displayName}</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Serial {certificate.serialNumber}. The revocation appears in the issuing CA&apos;s next
            CRL with its reason (RFC 5280 §5.3.1) and cannot be undone.
          </DialogContentText>
          <TextField
            select
            label="Reason"
            value={reason}
            onChange={(event) => setReason(event.target.value as RevocationReason)}
            disabled={revoke.pending}
            required
          >
            {REVOCATION_REASONS.map((option) => (
              <MenuItem key={option} value={option}>
                {REVOCATION_REASON_LABELS[option]}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            label="Revocation time"
            type="datetime-local"
            value={at}
            onChange={(event) => {
              setAt(event.target.value);
              setAtEdited(true);
            }}
            disabled={revoke.pending}
            error={atInvalid}
            helperText="Your local time; not in the future."
            required
            slotProps={{ inputLabel: { shrink: true } }}
          />
          {(reason === 'key-compromise' || reason === 'ca-compromise') && (
            <TextField
              label="Compromised since (invalidity date, optional)"
              type="datetime-local"
              value={invalidity}
              onChange={(event) => setInvalidity(event.target.value)}
              disabled={revoke.pending}
              helperText="When the key is known or suspected to have been compromised (RFC 5280 §5.3.2)."
              slotProps={{ inputLabel: { shrink: true } }}
            />
          )}
          {(reason === 'key-compromise' || reason === 'ca-compromise') && certificate.keyId && (
            <Alert severity="warning" sx={{ mt: 2 }}>
              Revoking this certificate leaves its key Active. If the key itself is compromised,{' '}
              <Link href={routeHref({ page: 'key', id: certificate.keyId })}>
                mark the key Compromised
              </Link>
              : that revokes every certificate bound to it (and, for a CA key, what it issued) and
              stops it signing.
            </Alert>
          )}
          <FormControlLabel
            control={
              <Checkbox
                checked={confirmed}
                onChange={(event) => setConfirmed(event.target.checked)}
              />
            }
            label="I confirm the revocation of this certificate"
          />
          <ErrorAlert error={revoke.error} onClose={revoke.clearError} />
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onClose}>Cancel</Button>
          <Button
            type="submit"
            variant="contained"
            color="error"
            disabled={!confirmed || atInvalid || revoke.pending}
          >
            Revoke certificate
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

function RolloverDialog(props: {
  certificate: CertificateDetail;
  onClose: () => void;
  onDone: () => void;
}) {
  const [crossSign, setCrossSign] = useState(true);
  const [reissue, setReissue] = useState(false);
  const [result, setResult] = useState<Response<'ca:rollover'>>();
  const rollover = useAction(async () => {
    setResult(
      await call('ca:rollover', {
        id: props.certificate.id,
        crossSign,
        reissueSubordinates: reissue,
      }),
    );
    props.onDone();
  });

  return (
    <Dialog open onClose={props.onClose} fullWidth maxWidth="sm" aria-labelledby="rollover-title">
      <DialogTitle id="rollover-title">Roll over {props.certificate.displayName}</DialogTitle>
      <DialogContent>
        {result ? (
          <Alert severity="success" role="status">
            New CA certificate:{' '}
            <Link href={routeHref({ page: 'certificate', id: result.certificate.id })}>
              {result.certificate.displayName} (serial {result.certificate.serialNumber})
            </Link>
            {result.newWithOldId && result.oldWithNewId && (
              <>
                ; cross-certificates{' '}
                <Link href={routeHref({ page: 'certificate', id: result.newWithOldId })}>
                  new with old
                </Link>{' '}
                and{' '}
                <Link href={routeHref({ page: 'certificate', id: result.oldWithNewId })}>
                  old with new
                </Link>
              </>
            )}
            {result.reissuedIds.length > 0 &&
              `; ${result.reissuedIds.length} subordinate(s) re-issued`}
            .
          </Alert>
        ) : (
          <>
            <DialogContentText>
              A new CA key and certificate with the same name (RFC 4210 §4.4). This certificate
              stays valid for verification; its key keeps signing CRLs for what it issued.
            </DialogContentText>
            <FormControlLabel
              control={
                <Checkbox
                  checked={crossSign}
                  onChange={(event) => setCrossSign(event.target.checked)}
                />
              }
              label="Issue cross-certificates in both directions"
            />
            <FormControlLabel
              control={
                <Checkbox
                  checked={reissue}
                  onChange={(event) => setReissue(event.target.checked)}
                />
              }
              label="Certify the subordinate CAs again under the new key"
            />
            <WorkProgress
              active={rollover.pending}
              channel="ca:rollover"
              label="Rolling the CA over to a new key"
            />
          </>
        )}
        <ErrorAlert error={rollover.error} onClose={rollover.clearError} />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>{result ? 'Close' : 'Cancel'}</Button>
        {!result && (
          <Button
            variant="contained"
            onClick={() => void rollover.run()}
            disabled={rollover.pending}
          >
            Roll over
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}

export function CertificateLifecycle(props: {
  certificate: CertificateDetail;
  onChanged: () => void;
}) {
  const { certificate } = props;
  const loaded = useLoad(
    () => call('certificates:lifecycle', { id: certificate.id }),
    [certificate.id],
  );
  const [dialog, setDialog] = useState<'renew' | 'revoke' | 'rollover'>();
  const lifecycle = loaded.value;
  const changed = () => {
    loaded.reload();
    props.onChanged();
  };

  const renewButton = (
    <Button
      variant="outlined"
      disabled={!lifecycle || lifecycle.renewBlocked !== null}
      onClick={() => setDialog('renew')}
    >
      Renew
    </Button>
  );

  return (
    <Paper component="section" aria-label="Lifecycle" sx={{ p: 2 }}>
      <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between', mb: 1 }}>
        <Typography variant="h2">Lifecycle</Typography>
        <Stack direction="row" spacing={1}>
          {lifecycle?.renewBlocked && !certificate.isCa ? (
            <Tooltip title={lifecycle.renewBlocked}>
              {/* A disabled button gets no pointer events; the span carries the tooltip. */}
              <span>{renewButton}</span>
            </Tooltip>
          ) : (
            !certificate.isCa && renewButton
          )}
          {certificate.isCa && certificate.keyId && (
            <>
              <Button
                variant="outlined"
                disabled={
                  !lifecycle || lifecycle.status === 'revoked' || lifecycle.successor !== null
                }
                onClick={() => setDialog('rollover')}
              >
                Roll over CA key
              </Button>
              <Button variant="outlined" href={routeHref({ page: 'crls', issuer: certificate.id })}>
                CRLs
              </Button>
            </>
          )}
          <Button
            variant="outlined"
            color="error"
            disabled={!lifecycle || lifecycle.status === 'revoked'}
            onClick={() => setDialog('revoke')}
          >
            Revoke
          </Button>
        </Stack>
      </Stack>
      <ErrorAlert error={loaded.error} />
      {lifecycle && (
        <DetailTable
          label="Lifecycle"
          rows={[
            [
              'Revocation',
              lifecycle.revocation
                ? `Revoked: ${lifecycle.revocation.reasonLabel}, ${formatDateTime(lifecycle.revocation.revokedAt)}` +
                  (lifecycle.revocation.invalidityDate
                    ? `; compromised since ${formatDateTime(lifecycle.revocation.invalidityDate)}`
                    : '')
                : 'Not revoked',
            ],
            [
              'Renewed from',
              lifecycle.predecessor ? (
                <Link
                  key="p"
                  href={routeHref({ page: 'certificate', id: lifecycle.predecessor.id })}
                >
                  {lifecycle.predecessor.displayName}
                </Link>
              ) : (
                '—'
              ),
            ],
            [
              'Successor',
              lifecycle.successor ? (
                <Link key="s" href={routeHref({ page: 'certificate', id: lifecycle.successor.id })}>
                  {lifecycle.successor.displayName}
                </Link>
              ) : (
                '—'
              ),
            ],
            [
              'Key policy on renewal',
              lifecycle.defaultKeyPolicy === 'reuse' ? 'Reuse' : 'Regenerate',
            ],
            [
              'Rotation due',
              lifecycle.rotationDueAt ? formatDateTime(lifecycle.rotationDueAt) : 'Not scheduled',
            ],
          ]}
        />
      )}
      {dialog === 'renew' && lifecycle && (
        <RenewDialog
          certificate={certificate}
          lifecycle={lifecycle}
          onClose={() => setDialog(undefined)}
          onRenewed={changed}
        />
      )}
      {dialog === 'revoke' && (
        <RevokeDialog
          certificate={certificate}
          onClose={() => setDialog(undefined)}
          onRevoked={() => {
            setDialog(undefined);
            changed();
          }}
        />
      )}
      {dialog === 'rollover' && (
        <RolloverDialog
          certificate={certificate}
          onClose={() => setDialog(undefined)}
          onDone={changed}
        />
      )}
    </Paper>
  );
}
