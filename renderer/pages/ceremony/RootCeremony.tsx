// The root CA key ceremony as a wizard: key algorithm and store, subject, validity, review,
// generation, and a printable transcript. Each step is a form, so Enter moves on.
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
import Step from '@mui/material/Step';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import TextField from '@mui/material/TextField';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { KeyAlgorithm } from '../../../shared/algorithms';
import type { IssuedCertificate } from '../../../shared/contract';
import { call } from '../../client/client';
import { AlgorithmSelect } from '../../components/AlgorithmSelect';
import { DetailTable } from '../../components/DetailTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { OverrideReason } from '../../components/OverrideReason';
import { PageHeader } from '../../components/PageHeader';
import { SubjectFields } from '../../components/SubjectFields';
import { WorkProgress } from '../../components/WorkProgress';
import { distinguishedName, EMPTY_SUBJECT, subjectProblem } from '../../format/distinguishedName';
import { ALGORITHM_LABELS, PROVIDER_LABELS } from '../../format/labels';
import { useAction } from '../../hooks/useAction';
import { TokenStorePicker, type TokenStoreChoice } from '../tokens/TokenStorePicker';
import { CeremonyTranscript } from './CeremonyTranscript';

const STEPS = ['Key', 'Subject', 'Validity', 'Review', 'Generate', 'Transcript'] as const;
/** Root CA validity policy (electron/pki/profiles.ts): 10 to 20 years. */
const ROOT_POLICY = { label: 'root CA: 10 to 20 years', minYears: 10, maxYears: 20 };
const HSM_TOKEN = 'HSM token (PKCS#11)';

type KeyStore = 'software' | 'pkcs11';

/** How the review names the store: the vault, or the token by label, serial and profile. */
export function keyStoreText(store: KeyStore, token: TokenStoreChoice | undefined): string {
  if (store === 'software' || !token) return PROVIDER_LABELS.software;
  return `${HSM_TOKEN}: ${token.tokenLabel}, serial ${token.tokenSerial}, profile ${token.profileName}`;
}

function StepForm(props: {
  onNext: () => void;
  canGoOn: boolean;
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

export function RootCeremony() {
  const [step, setStep] = useState(0);
  const [algorithm, setAlgorithm] = useState<KeyAlgorithm>('ec-p384');
  const [label, setLabel] = useState('');
  const [store, setStore] = useState<KeyStore>('software');
  const [token, setToken] = useState<TokenStoreChoice>();
  const [subject, setSubject] = useState(EMPTY_SUBJECT);
  const [years, setYears] = useState('20');
  const [pathLength, setPathLength] = useState<'none' | string>('none');
  const [overrideReason, setOverrideReason] = useState('');
  const [issued, setIssued] = useState<IssuedCertificate>();

  const yearCount = Number(years);
  const yearsValid = Number.isInteger(yearCount) && yearCount >= 1 && yearCount <= 100;
  const outsidePolicy =
    yearsValid && (yearCount < ROOT_POLICY.minYears || yearCount > ROOT_POLICY.maxYears);
  const dn = distinguishedName(subject);
  const offered = store === 'pkcs11' ? token?.algorithms : undefined;
  const keyReady = store === 'software' || (offered !== undefined && offered.includes(algorithm));

  // A token that cannot make the chosen algorithm: move to one it can, a P-384 root if possible.
  useEffect(() => {
    if (!offered || offered.length === 0 || offered.includes(algorithm)) return;
    setAlgorithm(offered.includes('ec-p384') ? 'ec-p384' : offered[0]!);
  }, [offered, algorithm]);

  const generate = useAction(async () => {
    setStep(4);
    try {
      const result = await call('ca:create-root', {
        subject: dn,
        key: {
          kind: 'new',
          algorithm,
          provider: store,
          ...(label.trim() ? { label: label.trim() } : {}),
          ...(store === 'pkcs11' && token
            ? { token: { profileId: token.profileId, tokenSerial: token.tokenSerial } }
            : {}),
        },
        validity: { years: yearCount },
        ...(pathLength === 'none' ? {} : { pathLength: Number(pathLength) }),
        ...(outsidePolicy ? { override: { reason: overrideReason.trim() } } : {}),
      });
      setIssued(result);
      setStep(5);
    } catch (error) {
      setStep(3);
      throw error;
    }
  });

  const back = () => setStep((current) => current - 1);
  const next = () => setStep((current) => current + 1);

  return (
    <>
      <PageHeader
        title="Root CA key ceremony"
        subtitle="Generate a root CA key and its self-signed certificate, then print the transcript for the witnesses to sign."
      />
      <Stepper
        activeStep={step}
        alternativeLabel
        sx={{ mb: 3 }}
        className="no-print"
        aria-label="Ceremony steps"
      >
        {STEPS.map((name) => (
          <Step key={name}>
            <StepLabel>{name}</StepLabel>
          </Step>
        ))}
      </Stepper>

      {step < 5 && (
        <Paper sx={{ p: 3, maxWidth: 860 }}>
          {step === 0 && (
            <StepForm onNext={next} canGoOn={keyReady} next="Next">
              <AlgorithmSelect
                value={algorithm}
                onChange={setAlgorithm}
                autoFocus
                {...(offered ? { offered } : {})}
              />
              <FormControl sx={{ mt: 2 }}>
                <FormLabel id="store-label">Key store</FormLabel>
                <RadioGroup
                  aria-labelledby="store-label"
                  value={store}
                  onChange={(event) => setStore(event.target.value as KeyStore)}
                >
                  <FormControlLabel
                    value="software"
                    control={<Radio />}
                    label={PROVIDER_LABELS.software}
                  />
                  <FormControlLabel value="pkcs11" control={<Radio />} label={HSM_TOKEN} />
                </RadioGroup>
              </FormControl>
              {store === 'pkcs11' && (
                <TokenStorePicker
                  onChange={setToken}
                  {...(token
                    ? { initial: { profileId: token.profileId, tokenSerial: token.tokenSerial } }
                    : {})}
                />
              )}
              <TextField
                label="Key label"
                value={label}
                onChange={(event) => setLabel(event.target.value)}
                helperText="Optional; the common name is used when left empty."
              />
            </StepForm>
          )}

          {step === 1 && (
            <StepForm onNext={next} onBack={back} canGoOn={!subjectProblem(subject)} next="Next">
              <SubjectFields value={subject} onChange={setSubject} autoFocus />
              {subject.commonName && subjectProblem(subject) && (
                <Alert severity="warning" sx={{ mt: 2 }}>
                  {subjectProblem(subject)}
                </Alert>
              )}
            </StepForm>
          )}

          {step === 2 && (
            <StepForm
              onNext={next}
              onBack={back}
              canGoOn={yearsValid && (!outsidePolicy || overrideReason.trim().length > 0)}
              next="Next"
            >
              <TextField
                label="Validity (years)"
                type="number"
                value={years}
                onChange={(event) => setYears(event.target.value)}
                autoFocus
                required
                error={!yearsValid}
                helperText={`Policy: ${ROOT_POLICY.label}. Counted from now.`}
                slotProps={{ htmlInput: { min: 1, max: 100 } }}
              />
              <TextField
                select
                label="Path length constraint"
                value={pathLength}
                onChange={(event) => setPathLength(event.target.value)}
                helperText="How many subordinate CA levels may follow (RFC 5280 §4.2.1.9)."
              >
                <MenuItem value="none">Profile default</MenuItem>
                {[0, 1, 2, 3].map((length) => (
                  <MenuItem key={length} value={String(length)}>
                    {length}
                  </MenuItem>
                ))}
              </TextField>
              <OverrideReason
                policy={ROOT_POLICY.label}
                outside={outsidePolicy}
                value={overrideReason}
                onChange={setOverrideReason}
              />
            </StepForm>
          )}

          {step === 3 && (
            <StepForm
              onNext={() => void generate.run()}
              onBack={back}
              canGoOn={!generate.pending}
              next="Generate root CA"
            >
              <DetailTable
                label="Ceremony review"
                rows={[
                  ['Key algorithm', ALGORITHM_LABELS[algorithm]],
                  ['Key store', keyStoreText(store, token)],
                  ['Key label', label.trim() || subject.commonName.trim()],
                  ['Subject', dn],
                  ['Validity', `${yearCount} years from now`],
                  ['Path length', pathLength === 'none' ? 'Profile default' : pathLength],
                  ...(outsidePolicy
                    ? ([['Policy override', overrideReason.trim()]] as [string, string][])
                    : []),
                ]}
              />
              <Alert severity="info" sx={{ mt: 2 }}>
                Check these details with the witnesses before generating.{' '}
                {store === 'pkcs11'
                  ? 'The key is generated on the token as a sensitive, never-extractable object; ' +
                    'it never leaves the token.'
                  : 'The key is generated in the main process and never leaves the vault.'}
              </Alert>
              <ErrorAlert error={generate.error} onClose={generate.clearError} />
            </StepForm>
          )}

          {step === 4 && (
            <WorkProgress
              active
              channel="ca:create-root"
              label="Generating the root CA key and self-signing its certificate"
            />
          )}
        </Paper>
      )}

      {step === 5 && issued && <CeremonyTranscript issued={issued} />}
    </>
  );
}
