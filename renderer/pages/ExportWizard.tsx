// Exports a certificate, its chain, or the certificate with its private key. The main process
// writes the file; only a summary comes back. Private key exports need a password entered twice
// and an explicit confirmation, and the password is cleared from state once the call returns.
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Step from '@mui/material/Step';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent, type ReactNode } from 'react';
import type { ExportResult } from '../../shared/contract';
import { call } from '../client/client';
import { DetailTable } from '../components/DetailTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { NewPassphraseFields, passphrasesMatch } from '../components/NewPassphraseFields';
import { PageHeader } from '../components/PageHeader';
import { PathField } from '../components/PathField';
import { WorkProgress } from '../components/WorkProgress';
import { colonHex } from '../format/fingerprint';
import {
  FORMAT_EXTENSIONS,
  FORMAT_LABELS,
  OFFERED_FORMATS,
  type OfferedFormat,
} from '../format/labels';
import { useAction } from '../hooks/useAction';
import { useLoad } from '../hooks/useLoad';
import { useSession } from '../session/SessionContext';
import { MONOSPACE } from '../theme';

const STEPS = ['Certificate and format', 'Protection', 'Destination', 'Confirm'] as const;
/** The main process refuses shorter export passwords. */
const MINIMUM_EXPORT_PASSWORD = 8;

/** What each format can carry (electron/formats/export-service.ts decides; this mirrors it). */
const CAN: Record<OfferedFormat, { chain: boolean; key: 'never' | 'optional' | 'always' }> = {
  pem: { chain: true, key: 'never' },
  der: { chain: false, key: 'never' },
  p7b: { chain: true, key: 'never' },
  'p7b-der': { chain: true, key: 'never' },
  p12: { chain: true, key: 'optional' },
  'p12-legacy': { chain: true, key: 'optional' },
  'pkcs8-encrypted': { chain: false, key: 'always' },
  jks: { chain: true, key: 'optional' },
  jceks: { chain: true, key: 'optional' },
};

function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'certificate';
}

function StepForm(props: {
  canGoOn: boolean;
  onNext: () => void;
  onBack?: () => void;
  next: string;
  children: ReactNode;
}) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (props.canGoOn) props.onNext();
  };
  return (
    <Box component="form" onSubmit={submit} noValidate>
      {props.children}
      <Box sx={{ display: 'flex', gap: 1, mt: 3 }}>
        {props.onBack && <Button onClick={props.onBack}>Back</Button>}
        <Button type="submit" variant="contained" disabled={!props.canGoOn}>
          {props.next}
        </Button>
      </Box>
    </Box>
  );
}

export function ExportWizard({ certificate: initial }: { certificate?: string }) {
  const { status } = useSession();
  const certificates = useLoad(() => call('certificates:list'), []);
  const [step, setStep] = useState(0);
  const [certId, setCertId] = useState(initial ?? '');
  const [format, setFormat] = useState<OfferedFormat>('pem');
  const [chain, setChain] = useState(false);
  const [withKeyChoice, setWithKeyChoice] = useState(true);
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [destination, setDestination] = useState('');
  const [overwrite, setOverwrite] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  const [result, setResult] = useState<ExportResult>();

  const selected = certificates.value?.certificates.find(
    (certificate) => certificate.id === certId,
  );
  const can = CAN[format];
  const withKey = can.key === 'always' || (can.key === 'optional' && withKeyChoice);
  const keyAvailable = Boolean(selected?.keyId);
  const passwordOk =
    !withKey ||
    ([...password].length >= MINIMUM_EXPORT_PASSWORD && passphrasesMatch(password, confirmation));

  const suggestedPath = (): string => {
    const name = `${safeFileName(selected?.displayName ?? 'certificate')}.${FORMAT_EXTENSIONS[format]}`;
    const directory = status?.defaultDirectory ?? '';
    return directory ? `${directory.replace(/[\\/]+$/, '')}/${name}` : name;
  };

  const run = useAction(async () => {
    try {
      setResult(
        await call('export:certificate', {
          certId,
          format,
          chain: can.chain && chain,
          withKey,
          ...(withKey ? { password } : {}),
          destination: destination.trim(),
          confirmed: withKey && confirmed,
          overwrite,
        }),
      );
    } finally {
      setPassword('');
      setConfirmation('');
      setConfirmed(false);
    }
  });

  const restart = () => {
    setResult(undefined);
    setStep(0);
    run.clearError();
  };

  if (result) {
    return (
      <>
        <PageHeader title="Export" />
        <Paper sx={{ p: 3, maxWidth: 860 }} component="section" aria-label="Export result">
          <Alert severity="success" sx={{ mb: 2 }}>
            Export written to {result.destination}.
          </Alert>
          <DetailTable
            rows={[
              [
                'File',
                <code key="path" style={{ fontFamily: MONOSPACE }}>
                  {result.destination}
                </code>,
              ],
              ['Format', FORMAT_LABELS[result.format]],
              ['Private key included', result.withKey ? 'Yes' : 'No'],
              ['Size', `${result.bytes} bytes`],
              [
                'File SHA-256',
                <code key="sha" style={{ fontFamily: MONOSPACE, wordBreak: 'break-all' }}>
                  {colonHex(result.sha256)}
                </code>,
              ],
            ]}
          />
          <Button sx={{ mt: 2 }} onClick={restart}>
            Export again
          </Button>
        </Paper>
      </>
    );
  }

  return (
    <>
      <PageHeader
        title="Export"
        subtitle="Write a certificate, its chain, or the certificate with its private key to a file."
      />
      <Stepper activeStep={step} sx={{ mb: 3, maxWidth: 860 }} aria-label="Export steps">
        {STEPS.map((name) => (
          <Step key={name}>
            <StepLabel>{name}</StepLabel>
          </Step>
        ))}
      </Stepper>
      <Paper sx={{ p: 3, maxWidth: 860 }}>
        {step === 0 && (
          <StepForm
            canGoOn={Boolean(selected) && (!withKey || keyAvailable)}
            onNext={() => setStep(1)}
            next="Next"
          >
            <TextField
              select
              label="Certificate"
              value={selected ? certId : ''}
              onChange={(event) => {
                setCertId(event.target.value);
                setDestination('');
              }}
              required
              autoFocus
              helperText={certificates.error ?? ' '}
              error={Boolean(certificates.error)}
            >
              {(certificates.value?.certificates ?? []).map((certificate) => (
                <MenuItem key={certificate.id} value={certificate.id}>
                  {certificate.displayName} — issued by {certificate.issuer}
                </MenuItem>
              ))}
            </TextField>
            <FormControl sx={{ mt: 1 }}>
              <FormLabel id="format-label">Format</FormLabel>
              <RadioGroup
                aria-labelledby="format-label"
                value={format}
                onChange={(event) => {
                  setFormat(event.target.value as OfferedFormat);
                  setDestination('');
                }}
              >
                {OFFERED_FORMATS.map((option) => (
                  <FormControlLabel
                    key={option}
                    value={option}
                    control={<Radio />}
                    label={FORMAT_LABELS[option]}
                  />
                ))}
              </RadioGroup>
            </FormControl>
            <Box>
              {can.chain && (
                <FormControlLabel
                  control={
                    <Checkbox
                      checked={chain}
                      onChange={(event) => setChain(event.target.checked)}
                    />
                  }
                  label="Include the issuer chain"
                />
              )}
              {can.key === 'optional' && (
                <FormControlLabel
                  control={
                    <Checkbox
                      checked={withKeyChoice}
                      onChange={(event) => setWithKeyChoice(event.target.checked)}
                    />
                  }
                  label="Include the private key"
                />
              )}
            </Box>
            {selected && withKey && !keyAvailable && (
              <Alert severity="warning" sx={{ mt: 2 }}>
                This certificate's private key is not in the vault (it came from a CSR), so it
                cannot be exported.
              </Alert>
            )}
          </StepForm>
        )}

        {step === 1 && (
          <StepForm
            canGoOn={passwordOk}
            onNext={() => {
              if (!destination.trim()) setDestination(suggestedPath());
              setStep(2);
            }}
            onBack={() => setStep(0)}
            next="Next"
          >
            {withKey ? (
              <>
                <Typography variant="body2" color="text.secondary">
                  The private key is encrypted under this password (at least{' '}
                  {MINIMUM_EXPORT_PASSWORD} characters). Give it to the recipient by another channel
                  than the file.
                </Typography>
                <NewPassphraseFields
                  label="Export password"
                  value={password}
                  confirmation={confirmation}
                  onChange={setPassword}
                  onConfirmationChange={setConfirmation}
                />
              </>
            ) : (
              <Typography>This export holds public data only; it needs no password.</Typography>
            )}
          </StepForm>
        )}

        {step === 2 && (
          <StepForm
            canGoOn={Boolean(destination.trim())}
            onNext={() => setStep(3)}
            onBack={() => setStep(1)}
            next="Next"
          >
            <PathField
              label="Destination file"
              value={destination}
              onChange={setDestination}
              purpose="export"
              suggestedName={suggestedPath().split('/').at(-1)}
              autoFocus
            />
            <FormControlLabel
              control={
                <Checkbox
                  checked={overwrite}
                  onChange={(event) => setOverwrite(event.target.checked)}
                />
              }
              label="Replace the file if it exists"
            />
          </StepForm>
        )}

        {step === 3 && (
          <StepForm
            canGoOn={(!withKey || (confirmed && passwordOk)) && !run.pending}
            onNext={() => void run.run()}
            onBack={() => setStep(2)}
            next="Export"
          >
            <DetailTable
              label="Export review"
              rows={[
                ['Certificate', selected?.displayName ?? certId],
                ['Format', FORMAT_LABELS[format]],
                ['Chain', can.chain && chain ? 'Included' : 'Not included'],
                ['Private key', withKey ? 'Included, password-protected' : 'Not included'],
                [
                  'Destination',
                  <code key="dest" style={{ fontFamily: MONOSPACE }}>
                    {destination.trim()}
                  </code>,
                ],
              ]}
            />
            {withKey && (
              <>
                <Alert severity="warning" sx={{ mt: 2 }}>
                  The private key leaves the vault. The export is recorded in the audit trail with
                  its format and destination.
                </Alert>
                <FormControlLabel
                  sx={{ mt: 1 }}
                  control={
                    <Checkbox
                      checked={confirmed}
                      onChange={(event) => setConfirmed(event.target.checked)}
                    />
                  }
                  label="I confirm the export of this private key"
                />
              </>
            )}
            {withKey && !password && (
              <Alert severity="info" sx={{ mt: 2 }}>
                The export password is cleared after each attempt: go back to Protection and enter
                it again.
              </Alert>
            )}
            <ErrorAlert error={run.error} onClose={run.clearError} />
            <WorkProgress
              active={run.pending}
              channel="export:certificate"
              label="Writing the export"
            />
          </StepForm>
        )}
      </Paper>
    </>
  );
}
