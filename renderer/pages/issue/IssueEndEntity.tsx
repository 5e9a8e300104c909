// Issues a TLS server or client certificate from a CA in the vault, for a pasted CSR (the private
// key stays with the requester) or for a new key generated in the vault.
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import Paper from '@mui/material/Paper';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
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
import { parseSubjectAltNames } from '../../format/subjectAltNames';
import { useAction } from '../../hooks/useAction';
import { MONOSPACE } from '../../theme';
import { TemplatePrefill, type TemplatePrefillValues } from '../issuance/TemplatePrefill';
import { IssuedResult } from './IssuedResult';

/** End-entity validity policy (electron/pki/profiles.ts): 90 days to 1 year. */
const LEAF_POLICY = { label: 'end-entity: 90 days to 1 year', minDays: 90, maxDays: 366 };
type Profile = 'tls-server' | 'tls-client';
type Source = 'new' | 'csr';

export function IssueEndEntity({ issuer: initialIssuer }: { issuer?: string }) {
  const [issuerId, setIssuerId] = useState(initialIssuer ?? '');
  const [profile, setProfile] = useState<Profile>('tls-server');
  const [source, setSource] = useState<Source>('new');
  const [csr, setCsr] = useState('');
  const [algorithm, setAlgorithm] = useState<KeyAlgorithm>('ec-p256');
  const [subject, setSubject] = useState(EMPTY_SUBJECT);
  const [sans, setSans] = useState('');
  const [days, setDays] = useState('90');
  const [overrideReason, setOverrideReason] = useState('');
  const [issued, setIssued] = useState<IssuedCertificate>();
  const [templateCrl, setTemplateCrl] = useState<string>();

  const dayCount = Number(days);
  const daysValid = Number.isInteger(dayCount) && dayCount >= 1 && dayCount <= 36_500;
  const outsidePolicy =
    daysValid && (dayCount < LEAF_POLICY.minDays || dayCount > LEAF_POLICY.maxDays);
  const subjectGiven = Boolean(subject.commonName.trim());
  const subjectOk = source === 'csr' && !subjectGiven ? true : !subjectProblem(subject);
  const csrOk = source === 'new' || csr.includes('-----BEGIN CERTIFICATE REQUEST-----');
  const ready =
    Boolean(issuerId) &&
    subjectOk &&
    csrOk &&
    daysValid &&
    (!outsidePolicy || Boolean(overrideReason.trim()));

  const issue = useAction(async () => {
    setIssued(
      await call('certificates:issue-end-entity', {
        issuerId,
        profile,
        ...(subjectGiven ? { subject: distinguishedName(subject) } : {}),
        subjectAltNames: parseSubjectAltNames(sans),
        validity: { days: dayCount },
        source:
          source === 'csr'
            ? { kind: 'csr', pem: csr.trim() }
            : { kind: 'new', algorithm, provider: 'software' },
        ...(outsidePolicy ? { override: { reason: overrideReason.trim() } } : {}),
        ...(templateCrl ? { crlDistributionPoint: templateCrl } : {}),
      }),
    );
  });

  const applyTemplate = (values: TemplatePrefillValues) => {
    setProfile(values.profile);
    setSubject((current) => ({ ...current, ...values.subject }));
    setSans(values.sans);
    setDays(values.days);
    setAlgorithm(values.algorithm);
    setTemplateCrl(values.crlDistributionPoint);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (ready) void issue.run();
  };

  if (issued) {
    return (
      <>
        <PageHeader title="End-entity certificate" />
        <IssuedResult issued={issued} onAnother={() => setIssued(undefined)} />
      </>
    );
  }

  return (
    <>
      <PageHeader
        title="End-entity certificate"
        subtitle="Issue a TLS server or client certificate."
      />
      <Paper sx={{ p: 3, maxWidth: 860 }}>
        <Box
          component="form"
          onSubmit={submit}
          noValidate
          aria-label="Issue an end-entity certificate"
        >
          <IssuerSelect
            value={issuerId}
            onChange={setIssuerId}
            disabled={issue.pending}
            autoFocus
          />
          <TemplatePrefill
            onApply={applyTemplate}
            onNone={() => setTemplateCrl(undefined)}
            forCsr={source === 'csr'}
            disabled={issue.pending}
          />
          <TextField
            select
            label="Profile"
            value={profile}
            onChange={(event) => setProfile(event.target.value as Profile)}
            disabled={issue.pending}
          >
            <MenuItem value="tls-server">TLS server (serverAuth)</MenuItem>
            <MenuItem value="tls-client">TLS client (clientAuth)</MenuItem>
          </TextField>

          <FormControl sx={{ mt: 2 }}>
            <FormLabel id="source-label">Key</FormLabel>
            <RadioGroup
              row
              aria-labelledby="source-label"
              value={source}
              onChange={(event) => setSource(event.target.value as Source)}
            >
              <FormControlLabel
                value="new"
                control={<Radio />}
                label="New key in this vault"
                disabled={issue.pending}
              />
              <FormControlLabel
                value="csr"
                control={<Radio />}
                label="From a CSR (PEM)"
                disabled={issue.pending}
              />
            </RadioGroup>
          </FormControl>
          {source === 'new' ? (
            <AlgorithmSelect value={algorithm} onChange={setAlgorithm} disabled={issue.pending} />
          ) : (
            <TextField
              label="Certificate signing request (PEM)"
              value={csr}
              onChange={(event) => setCsr(event.target.value)}
              multiline
              minRows={6}
              required
              error={csr.length > 0 && !csrOk}
              helperText={
                csr.length > 0 && !csrOk
                  ? 'Paste the whole PEM, from -----BEGIN CERTIFICATE REQUEST-----.'
                  : ' '
              }
              disabled={issue.pending}
              slotProps={{
                htmlInput: { spellCheck: false, style: { fontFamily: MONOSPACE, fontSize: 12 } },
              }}
            />
          )}

          <Typography variant="h3" sx={{ mt: 2 }}>
            Subject
          </Typography>
          {source === 'csr' && (
            <Typography variant="body2" color="text.secondary">
              Leave the common name empty to use the subject of the CSR.
            </Typography>
          )}
          <SubjectFields
            value={subject}
            onChange={setSubject}
            disabled={issue.pending}
            optional={source === 'csr'}
          />
          <TextField
            label="Subject alternative names"
            value={sans}
            onChange={(event) => setSans(event.target.value)}
            multiline
            minRows={2}
            helperText="One per line: www.example.com, 192.0.2.10, DNS:…, IP:…, email:…, URI:…"
            disabled={issue.pending}
            slotProps={{ htmlInput: { spellCheck: false } }}
          />
          <TextField
            label="Validity (days)"
            type="number"
            value={days}
            onChange={(event) => setDays(event.target.value)}
            required
            error={!daysValid}
            helperText={`Policy: ${LEAF_POLICY.label}.`}
            disabled={issue.pending}
          />
          <OverrideReason
            policy={LEAF_POLICY.label}
            outside={outsidePolicy}
            value={overrideReason}
            onChange={setOverrideReason}
            disabled={issue.pending}
          />
          <ErrorAlert error={issue.error} onClose={issue.clearError} />
          <WorkProgress
            active={issue.pending}
            channel="certificates:issue-end-entity"
            label="Issuing the certificate"
          />
          <Button
            type="submit"
            variant="contained"
            disabled={!ready || issue.pending}
            sx={{ mt: 2 }}
          >
            Issue certificate
          </Button>
        </Box>
      </Paper>
    </>
  );
}
