// Issues a subordinate CA certificate from a CA in the vault, with a new key.
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import TextField from '@mui/material/TextField';
import { useEffect, useState, type FormEvent } from 'react';
import type { KeyAlgorithm } from '../../../shared/algorithms';
import type { IssuedCertificate } from '../../../shared/contract';
import { call } from '../../client/client';
import { AlgorithmSelect } from '../../components/AlgorithmSelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { IssuerSelect } from '../../components/IssuerSelect';
import { OverrideReason } from '../../components/OverrideReason';
import { PageHeader } from '../../components/PageHeader';
import { SubjectFields } from '../../components/SubjectFields';
import { WorkProgress } from '../../components/WorkProgress';
import { distinguishedName, EMPTY_SUBJECT, subjectProblem } from '../../format/distinguishedName';
import { PROVIDER_LABELS } from '../../format/labels';
import { useAction } from '../../hooks/useAction';
import { TokenStorePicker, type TokenStoreChoice } from '../tokens/TokenStorePicker';
import { IssuedResult } from './IssuedResult';

/** Subordinate CA validity policy (electron/pki/profiles.ts): 5 to 10 years. */
const SUB_POLICY = { label: 'subordinate CA: 5 to 10 years', minYears: 5, maxYears: 10 };

export function IssueSubordinate({ issuer: initialIssuer }: { issuer?: string }) {
  const [issuerId, setIssuerId] = useState(initialIssuer ?? '');
  const [subject, setSubject] = useState(EMPTY_SUBJECT);
  const [algorithm, setAlgorithm] = useState<KeyAlgorithm>('ec-p384');
  const [store, setStore] = useState<'software' | 'pkcs11'>('software');
  const [token, setToken] = useState<TokenStoreChoice>();
  const [years, setYears] = useState('10');
  const [pathLength, setPathLength] = useState('0');
  const [crlUrl, setCrlUrl] = useState('');
  const [overrideReason, setOverrideReason] = useState('');
  const [issued, setIssued] = useState<IssuedCertificate>();

  const yearCount = Number(years);
  const yearsValid = Number.isInteger(yearCount) && yearCount >= 1 && yearCount <= 100;
  const outsidePolicy =
    yearsValid && (yearCount < SUB_POLICY.minYears || yearCount > SUB_POLICY.maxYears);
  const offered = store === 'pkcs11' ? token?.algorithms : undefined;
  const keyReady = store === 'software' || (offered !== undefined && offered.includes(algorithm));
  useEffect(() => {
    if (!offered || offered.length === 0 || offered.includes(algorithm)) return;
    setAlgorithm(offered.includes('ec-p384') ? 'ec-p384' : offered[0]!);
  }, [offered, algorithm]);
  const ready =
    keyReady &&
    Boolean(issuerId) &&
    !subjectProblem(subject) &&
    yearsValid &&
    (!outsidePolicy || Boolean(overrideReason.trim()));

  const issue = useAction(async () => {
    setIssued(
      await call('ca:issue-subordinate', {
        issuerId,
        subject: distinguishedName(subject),
        key: {
          kind: 'new',
          algorithm,
          provider: store,
          ...(store === 'pkcs11' && token
            ? { token: { profileId: token.profileId, tokenSerial: token.tokenSerial } }
            : {}),
        },
        validity: { years: yearCount },
        ...(pathLength === 'none' ? {} : { pathLength: Number(pathLength) }),
        ...(crlUrl.trim() ? { crlDistributionPoint: crlUrl.trim() } : {}),
        ...(outsidePolicy ? { override: { reason: overrideReason.trim() } } : {}),
      }),
    );
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (ready) void issue.run();
  };

  if (issued) {
    return (
      <>
        <PageHeader title="Subordinate CA" />
        <IssuedResult issued={issued} onAnother={() => setIssued(undefined)} />
      </>
    );
  }

  return (
    <>
      <PageHeader
        title="Subordinate CA"
        subtitle="Issue a subordinate CA certificate with a new key in this vault or on an HSM token."
      />
      <Paper sx={{ p: 3, maxWidth: 860 }}>
        <Box component="form" onSubmit={submit} noValidate aria-label="Issue a subordinate CA">
          <IssuerSelect
            value={issuerId}
            onChange={setIssuerId}
            disabled={issue.pending}
            autoFocus
          />
          <SubjectFields value={subject} onChange={setSubject} disabled={issue.pending} />
          <AlgorithmSelect
            value={algorithm}
            onChange={setAlgorithm}
            disabled={issue.pending}
            {...(offered ? { offered } : {})}
          />
          <FormControl sx={{ mt: 1 }} disabled={issue.pending}>
            <FormLabel id="sub-store-label">Key store</FormLabel>
            <RadioGroup
              row
              aria-labelledby="sub-store-label"
              value={store}
              onChange={(event) => setStore(event.target.value as 'software' | 'pkcs11')}
            >
              <FormControlLabel
                value="software"
                control={<Radio />}
                label={PROVIDER_LABELS.software}
              />
              <FormControlLabel value="pkcs11" control={<Radio />} label="HSM token (PKCS#11)" />
            </RadioGroup>
          </FormControl>
          {store === 'pkcs11' && <TokenStorePicker onChange={setToken} disabled={issue.pending} />}
          <TextField
            label="Validity (years)"
            type="number"
            value={years}
            onChange={(event) => setYears(event.target.value)}
            required
            error={!yearsValid}
            helperText={`Policy: ${SUB_POLICY.label}. Never beyond the issuer's own validity.`}
            disabled={issue.pending}
          />
          <TextField
            select
            label="Path length constraint"
            value={pathLength}
            onChange={(event) => setPathLength(event.target.value)}
            helperText="0: this CA may issue only end-entity certificates (RFC 5280 §4.2.1.9)."
            disabled={issue.pending}
          >
            <MenuItem value="none">Profile default</MenuItem>
            {[0, 1, 2].map((length) => (
              <MenuItem key={length} value={String(length)}>
                {length}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            label="CRL distribution point URL"
            value={crlUrl}
            onChange={(event) => setCrlUrl(event.target.value)}
            helperText="Optional, e.g. http://pki.example.com/root.crl"
            disabled={issue.pending}
          />
          <OverrideReason
            policy={SUB_POLICY.label}
            outside={outsidePolicy}
            value={overrideReason}
            onChange={setOverrideReason}
            disabled={issue.pending}
          />
          <ErrorAlert error={issue.error} onClose={issue.clearError} />
          <WorkProgress
            active={issue.pending}
            channel="ca:issue-subordinate"
            label="Issuing the subordinate CA certificate"
          />
          <Button
            type="submit"
            variant="contained"
            disabled={!ready || issue.pending}
            sx={{ mt: 2 }}
          >
            Issue subordinate CA
          </Button>
        </Box>
      </Paper>
    </>
  );
}
