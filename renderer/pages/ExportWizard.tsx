// Exports a certificate, its chain, or the certificate with its private key, in every format the
// writers have: PEM, DER, PKCS#7, PKCS#12 (modern and legacy), PKCS#8 (encrypted or plain), JKS
// and JCEKS (with an optional key password of their own), a new CSR and the CA's latest CRL. The
// main process writes the file; only a summary comes back. Private key exports need a password
// entered twice (except plain PKCS#8) and an explicit confirmation, and the passwords are cleared
// from state once the call returns.
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
import type { WrittenFile } from '../../shared/bridge/formats-dto';
import type { ExportResult } from '../../shared/contract';
import { isOperationAllowed } from '../../shared/lifecycle';
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

/** The core formats, plain PKCS#8 (after a warning), a new CSR and the CA's latest CRL. */
type WizardFormat = OfferedFormat | 'pkcs8' | 'csr' | 'crl';
const WIZARD_FORMATS: readonly WizardFormat[] = [
  ...OFFERED_FORMATS.slice(0, OFFERED_FORMATS.indexOf('pkcs8-encrypted') + 1),
  'pkcs8',
  ...OFFERED_FORMATS.slice(OFFERED_FORMATS.indexOf('pkcs8-encrypted') + 1),
  'csr',
  'crl',
];

const WIZARD_LABELS: Record<WizardFormat | 'pem-chain', string> = {
  ...FORMAT_LABELS,
  pkcs8: 'PKCS#8 private key, unencrypted (only for a system that cannot read encrypted keys)',
  csr: "Certificate request (CSR) for this certificate's subject, signed by its key",
  crl: 'Latest CRL issued by this CA',
};

const WIZARD_EXTENSIONS: Record<WizardFormat, string> = {
  ...FORMAT_EXTENSIONS,
  csr: 'csr',
  crl: 'crl',
};

/** What each format can carry (electron/formats/export-service.ts decides; this mirrors it). */
const CAN: Record<WizardFormat, { chain: boolean; key: 'never' | 'optional' | 'always' }> = {
  pem: { chain: true, key: 'never' },
  der: { chain: false, key: 'never' },
  p7b: { chain: true, key: 'never' },
  'p7b-der': { chain: true, key: 'never' },
  p12: { chain: true, key: 'optional' },
  'p12-legacy': { chain: true, key: 'optional' },
  'pkcs8-encrypted': { chain: false, key: 'always' },
  pkcs8: { chain: false, key: 'always' },
  jks: { chain: true, key: 'optional' },
  jceks: { chain: true, key: 'optional' },
  csr: { chain: false, key: 'never' },
  crl: { chain: false, key: 'never' },
};

/** Formats that are always password-protected, with or without a key (key stores included). */
const PASSWORD_FORMATS: ReadonlySet<WizardFormat> = new Set([
  'p12',
  'p12-legacy',
  'pkcs8-encrypted',
  'jks',
  'jceks',
]);
const JAVA_FORMATS: ReadonlySet<WizardFormat> = new Set(['jks', 'jceks']);
const ENCODED_FORMATS: ReadonlySet<WizardFormat> = new Set(['csr', 'crl']);

function strongEnough(password: string, confirmation: string): boolean {
  return (
    [...password].length >= MINIMUM_EXPORT_PASSWORD && passphrasesMatch(password, confirmation)
  );
}

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
  const [format, setFormat] = useState<WizardFormat>('pem');
  const [encoding, setEncoding] = useState<'pem' | 'der'>('pem');
  const [separateKeyPassword, setSeparateKeyPassword] = useState(false);
  const [keyPassword, setKeyPassword] = useState('');
  const [keyConfirmation, setKeyConfirmation] = useState('');
  const [alias, setAlias] = useState('');
  const [chain, setChain] = useState(false);
  const [withKeyChoice, setWithKeyChoice] = useState(true);
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [destination, setDestination] = useState('');
  const [overwrite, setOverwrite] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  const [result, setResult] = useState<ExportResult | WrittenFile>();

  const selected = certificates.value?.certificates.find(
    (certificate) => certificate.id === certId,
  );
  const can = CAN[format];
  const withKey = can.key === 'always' || (can.key === 'optional' && withKeyChoice);
  const keyAvailable = Boolean(selected?.keyId);
  // The main process refuses to export a key held on a token, or in a state that forbids backup;
  // the officer learns it here, before passwords and a destination.
  const keyId = selected?.keyId ?? undefined;
  const key = useLoad(
    () => (keyId ? call('keys:get', { id: keyId }) : Promise.resolve(undefined)),
    [keyId],
  );
  const keyProblem = !key.value
    ? undefined
    : key.value.provider !== 'software'
      ? `This certificate's key is held on ${key.value.provider === 'pkcs11' ? 'an HSM token' : 'a key service'}, where it cannot be extracted; export the certificate without its key.`
      : !isOperationAllowed(key.value.state, 'backup')
        ? `This certificate's key is ${key.value.stateLabel}, and a key in that state may not be exported (NIST SP 800-57); export the certificate without its key.`
        : undefined;
  const needsPassword = PASSWORD_FORMATS.has(format);
  const javaKeyPassword = JAVA_FORMATS.has(format) && withKey && separateKeyPassword;
  const passwordOk =
    (!needsPassword || strongEnough(password, confirmation)) &&
    (!javaKeyPassword || (strongEnough(keyPassword, keyConfirmation) && Boolean(alias.trim())));
  const formatProblem = !selected
    ? undefined
    : withKey && keyProblem
      ? keyProblem
      : (withKey || format === 'csr') && !keyAvailable
        ? format === 'csr'
          ? "A CSR is signed by the certificate's key, which is not in this vault."
          : "This certificate's private key is not in the vault (it came from a CSR or a " +
            'Remote Storage import), so it cannot be exported.'
        : format === 'crl' && !selected.isCa
          ? 'Only a CA issues CRLs; choose a CA certificate.'
          : undefined;

  const suggestedPath = (): string => {
    const name = `${safeFileName(selected?.displayName ?? 'certificate')}.${WIZARD_EXTENSIONS[format]}`;
    const directory = status?.defaultDirectory ?? '';
    return directory ? `${directory.replace(/[\\/]+$/, '')}/${name}` : name;
  };

  const exportNow = async (): Promise<ExportResult | WrittenFile> => {
    const target = { destination: destination.trim(), overwrite };
    if (format === 'csr' || format === 'crl') {
      return call(format === 'csr' ? 'export:csr' : 'export:crl', { certId, encoding, ...target });
    }
    if (format === 'jks' || format === 'jceks') {
      return call('export:keystore', {
        certId,
        format,
        withKey,
        chain: can.chain && chain,
        storePassword: password,
        ...(withKey && alias.trim() ? { alias: alias.trim() } : {}),
        ...(javaKeyPassword ? { keyPassword } : {}),
        confirmed: withKey && confirmed,
        ...target,
      });
    }
    return call('export:certificate', {
      certId,
      format,
      chain: can.chain && chain,
      withKey,
      ...(needsPassword ? { password } : {}),
      confirmed: withKey && confirmed,
      ...target,
    });
  };

  const run = useAction(async () => {
    try {
      setResult(await exportNow());
    } finally {
      setPassword('');
      setConfirmation('');
      setKeyPassword('');
      setKeyConfirmation('');
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
              ['Format', WIZARD_LABELS[result.format]],
              ...('encoding' in result
                ? [['Encoding', result.encoding.toUpperCase()] as [string, string]]
                : []),
              ['Private key included', 'withKey' in result && result.withKey ? 'Yes' : 'No'],
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
            canGoOn={Boolean(selected) && !formatProblem}
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
                  setFormat(event.target.value as WizardFormat);
                  setDestination('');
                }}
              >
                {WIZARD_FORMATS.map((option) => (
                  <FormControlLabel
                    key={option}
                    value={option}
                    control={<Radio />}
                    label={WIZARD_LABELS[option]}
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
            {ENCODED_FORMATS.has(format) && (
              <FormControl sx={{ mt: 1 }}>
                <FormLabel id="encoding-label">Encoding</FormLabel>
                <RadioGroup
                  row
                  aria-labelledby="encoding-label"
                  value={encoding}
                  onChange={(event) => setEncoding(event.target.value as 'pem' | 'der')}
                >
                  <FormControlLabel value="pem" control={<Radio />} label="PEM (Base64 text)" />
                  <FormControlLabel value="der" control={<Radio />} label="DER (binary)" />
                </RadioGroup>
              </FormControl>
            )}
            {formatProblem && (
              <Alert severity="warning" sx={{ mt: 2 }}>
                {formatProblem}
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
            {needsPassword && (
              <>
                <Typography variant="body2" color="text.secondary">
                  {withKey
                    ? 'The private key is encrypted under this password'
                    : 'The key store is protected by this password'}{' '}
                  (at least {MINIMUM_EXPORT_PASSWORD} characters). Give it to the recipient by
                  another channel than the file.
                </Typography>
                <NewPassphraseFields
                  label="Export password"
                  value={password}
                  confirmation={confirmation}
                  onChange={setPassword}
                  onConfirmationChange={setConfirmation}
                />
              </>
            )}
            {JAVA_FORMATS.has(format) && withKey && (
              <Box sx={{ mt: 1 }}>
                <TextField
                  label="Alias of the key entry"
                  value={alias}
                  onChange={(event) => setAlias(event.target.value)}
                  helperText="keytool shows aliases in lower case; left empty: the certificate's CN."
                />
                <FormControlLabel
                  sx={{ display: 'block' }}
                  control={
                    <Checkbox
                      checked={separateKeyPassword}
                      onChange={(event) => setSeparateKeyPassword(event.target.checked)}
                    />
                  }
                  label="Protect the key entry with its own key password"
                />
                {separateKeyPassword && (
                  <NewPassphraseFields
                    label="Key password"
                    value={keyPassword}
                    confirmation={keyConfirmation}
                    onChange={setKeyPassword}
                    onConfirmationChange={setKeyConfirmation}
                  />
                )}
                {separateKeyPassword && !alias.trim() && (
                  <Typography variant="body2" color="error">
                    Name the key entry (alias) to give it its own password.
                  </Typography>
                )}
              </Box>
            )}
            {format === 'pkcs8' && (
              <Alert severity="warning">
                The private key will be written unencrypted: anyone who can read the file can use
                the key. Prefer encrypted PKCS#8 unless the receiving system cannot read it.
              </Alert>
            )}
            {!needsPassword && !withKey && (
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
            canGoOn={(!withKey || confirmed) && passwordOk && !run.pending}
            onNext={() => void run.run()}
            onBack={() => setStep(2)}
            next="Export"
          >
            <DetailTable
              label="Export review"
              rows={[
                ['Certificate', selected?.displayName ?? certId],
                ['Format', WIZARD_LABELS[format]],
                ['Chain', can.chain && chain ? 'Included' : 'Not included'],
                [
                  'Private key',
                  !withKey
                    ? 'Not included'
                    : format === 'pkcs8'
                      ? 'Included, NOT encrypted'
                      : javaKeyPassword
                        ? `Included, under its own key password (alias ${alias.trim()})`
                        : 'Included, password-protected',
                ],
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
            {needsPassword && !password && (
              <Alert severity="info" sx={{ mt: 2 }}>
                The export password is cleared after each attempt: go back to Protection and enter
                it again.
              </Alert>
            )}
            <ErrorAlert error={run.error} onClose={run.clearError} />
            <WorkProgress
              active={run.pending}
              channel={
                format === 'csr'
                  ? 'export:csr'
                  : JAVA_FORMATS.has(format)
                    ? 'export:keystore'
                    : 'export:certificate'
              }
              label="Writing the export"
            />
          </StepForm>
        )}
      </Paper>
    </>
  );
}
