// RFC 5280 path validation of a vault certificate or a file, at a chosen time and for a chosen
// purpose, against the vault's CAs and CRLs. Every check is listed; the first failure stands out.
import CancelIcon from '@mui/icons-material/Cancel';
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import WarningIcon from '@mui/icons-material/Warning';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { ValidationPurposeDto, ValidationResultDto } from '../../../shared/bridge/formats-dto';
import { call } from '../../client/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../format/dates';
import { colonHex } from '../../format/fingerprint';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';
import { MONOSPACE } from '../../theme';
import { FileChooser } from './FileChooser';
import type { ChosenFile } from './files';

const PURPOSE_LABELS: Record<ValidationPurposeDto, string> = {
  any: 'Any purpose',
  'server-auth': 'TLS server authentication',
  'client-auth': 'TLS client authentication',
  'code-signing': 'Code signing',
  'email-protection': 'Email protection',
  'time-stamping': 'Time stamping',
  'ocsp-signing': 'OCSP signing',
};

// Types only from the bridge: zod stays out of the window's bundle.
const VALIDATION_PURPOSES = Object.keys(PURPOSE_LABELS) as ValidationPurposeDto[];

/** "2026-12-05T00:00" in UTC, the value a datetime-local field takes. */
function utcInputValue(date: Date): string {
  return date.toISOString().slice(0, 16);
}

function ResultView({ result }: { result: ValidationResultDto }) {
  return (
    <Paper sx={{ p: 3, maxWidth: 1100 }} component="section" aria-label="Validation result">
      {result.valid && result.warnings.length === 0 ? (
        <Alert severity="success" role="status" sx={{ mb: 2 }}>
          Valid at {formatDateTime(result.at)} for {PURPOSE_LABELS[result.purpose].toLowerCase()}:
          every check passed.
        </Alert>
      ) : result.valid ? (
        <Alert severity="warning" role="status" sx={{ mb: 2 }}>
          Valid at {formatDateTime(result.at)} for {PURPOSE_LABELS[result.purpose].toLowerCase()},
          but not every check could be done: {result.warnings.join('; ')}.
        </Alert>
      ) : (
        <Alert severity="error" role="alert" sx={{ mb: 2 }}>
          Not valid at {formatDateTime(result.at)}. First failure: {result.firstFailure}
        </Alert>
      )}
      <Typography variant="subtitle1" component="h2" sx={{ mb: 1 }}>
        Path (leaf first)
      </Typography>
      <Box component="ol" aria-label="Certification path" sx={{ mt: 0, mb: 2 }}>
        {result.chain.map((cert) => (
          <li key={cert.sha256}>
            {cert.subject}{' '}
            <Typography
              component="span"
              variant="caption"
              sx={{ fontFamily: MONOSPACE, color: 'text.secondary', wordBreak: 'break-all' }}
            >
              SHA-256 {colonHex(cert.sha256)}
            </Typography>
          </li>
        ))}
      </Box>
      {result.anchor && (
        <Typography variant="body2" sx={{ mb: 1 }} aria-label="Trust anchor">
          Trust anchor: {result.anchor.subject}, {result.anchor.source}.
        </Typography>
      )}
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        From the vault: {result.used.anchors} trust anchor{result.used.anchors === 1 ? '' : 's'},{' '}
        {result.used.intermediates} intermediate CA
        {result.used.intermediates === 1 ? '' : 's'}, {result.used.crls} CRL
        {result.used.crls === 1 ? '' : 's'}.
      </Typography>
      <Table size="small" aria-label="Validation checks">
        <TableHead>
          <TableRow>
            <TableCell>Result</TableCell>
            <TableCell>Check</TableCell>
            <TableCell>Certificate</TableCell>
            <TableCell>Detail</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {result.checks.map((check, index) => {
            const first = index === result.firstFailureIndex;
            return (
              <TableRow
                key={`${check.check}-${check.certificate}-${index}`}
                selected={first}
                aria-label={first ? `First failure: ${check.check}` : undefined}
                sx={first ? { outline: 2, outlineColor: 'error.main', outlineStyle: 'solid' } : {}}
              >
                <TableCell>
                  {check.status === 'unknown' ? (
                    <WarningIcon color="warning" titleAccess="not checked" />
                  ) : check.ok ? (
                    <CheckCircleIcon color="success" titleAccess="passed" />
                  ) : (
                    <CancelIcon color="error" titleAccess="failed" />
                  )}
                </TableCell>
                <TableCell>
                  {check.check}
                  {first && (
                    <Typography variant="caption" sx={{ display: 'block' }} color="error">
                      first failure
                    </Typography>
                  )}
                </TableCell>
                <TableCell sx={{ wordBreak: 'break-word' }}>{check.certificate}</TableCell>
                <TableCell>{check.detail}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </Paper>
  );
}

export function ValidatePage({ certificate }: { certificate?: string }) {
  const certificates = useLoad(() => call('certificates:list'), []);
  const [sourceKind, setSourceKind] = useState<'vault' | 'file'>('vault');
  const [certId, setCertId] = useState(certificate ?? '');
  const [file, setFile] = useState<ChosenFile>();
  const [at, setAt] = useState(utcInputValue(new Date()));
  const [purpose, setPurpose] = useState<ValidationPurposeDto>('any');
  const [result, setResult] = useState<ValidationResultDto>();

  const atIso = at ? new Date(`${at}:00Z`) : undefined;
  const atValid = atIso !== undefined && !Number.isNaN(atIso.getTime());
  const ready = (sourceKind === 'vault' ? Boolean(certId) : Boolean(file)) && atValid;

  const validate = useAction(async () => {
    setResult(undefined);
    setResult(
      await call('validate:certificate', {
        source: sourceKind === 'vault' ? { kind: 'vault', id: certId } : file!.source,
        at: atIso!.toISOString(),
        purpose,
      }),
    );
  });

  return (
    <>
      <PageHeader
        title="Validate"
        subtitle="RFC 5280 path validation against the vault's CAs and CRLs, at a time you choose."
      />
      {/* Not a form: the file chooser inside has its own. */}
      <Paper sx={{ p: 3, mb: 3, maxWidth: 1100 }} component="section" aria-label="What to validate">
        <FormControl>
          <FormLabel id="validate-source-label">Certificate to validate</FormLabel>
          <RadioGroup
            row
            aria-labelledby="validate-source-label"
            value={sourceKind}
            onChange={(event) => setSourceKind(event.target.value as 'vault' | 'file')}
          >
            <FormControlLabel value="vault" control={<Radio />} label="From the vault" />
            <FormControlLabel value="file" control={<Radio />} label="From a file" />
          </RadioGroup>
        </FormControl>
        {sourceKind === 'vault' ? (
          <TextField
            select
            label="Certificate"
            value={certificates.value?.certificates.some((c) => c.id === certId) ? certId : ''}
            onChange={(event) => setCertId(event.target.value)}
            fullWidth
            helperText={certificates.error ?? ' '}
            error={Boolean(certificates.error)}
          >
            {(certificates.value?.certificates ?? []).map((cert) => (
              <MenuItem key={cert.id} value={cert.id}>
                {cert.displayName} — issued by {cert.issuer}
              </MenuItem>
            ))}
          </TextField>
        ) : (
          <Box sx={{ mb: 2 }}>
            <FileChooser
              purpose="validate"
              multiple={false}
              onChosen={(chosen) => setFile(chosen[0])}
            />
            {file && (
              <Typography variant="body2" sx={{ mt: 1 }}>
                File: <code>{file.source.kind === 'path' ? file.source.path : file.name}</code>
              </Typography>
            )}
          </Box>
        )}
        <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
          <TextField
            label="Validation time (UTC)"
            type="datetime-local"
            value={at}
            onChange={(event) => setAt(event.target.value)}
            error={!atValid}
            helperText={atValid ? ' ' : 'Enter a date and time.'}
            slotProps={{ inputLabel: { shrink: true } }}
          />
          <TextField
            select
            label="Purpose"
            value={purpose}
            onChange={(event) => setPurpose(event.target.value as ValidationPurposeDto)}
            sx={{ minWidth: 280 }}
          >
            {VALIDATION_PURPOSES.map((option) => (
              <MenuItem key={option} value={option}>
                {PURPOSE_LABELS[option]}
              </MenuItem>
            ))}
          </TextField>
        </Box>
        <ErrorAlert error={validate.error} onClose={validate.clearError} />
        <Button
          variant="contained"
          disabled={!ready || validate.pending}
          onClick={() => void validate.run()}
        >
          Validate
        </Button>
      </Paper>
      {result && <ResultView result={result} />}
    </>
  );
}
