// The last step of a ceremony: the record the officer and witnesses sign. It prints through
// window.print() with the print stylesheet, which hides everything but the transcript.
import PrintIcon from '@mui/icons-material/Print';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useEffect, useRef, useState } from 'react';
import type { CeremonyTranscript as Transcript, IssuedCertificate } from '../../../shared/contract';
import { call } from '../../client/client';
import { DetailTable } from '../../components/DetailTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../format/dates';
import { colonHex } from '../../format/fingerprint';
import { routeHref } from '../../navigation/routes';
import { useAction } from '../../hooks/useAction';
import { MONOSPACE } from '../../theme';

function Fingerprint({ hex }: { hex: string }) {
  return (
    <code className="fingerprint" style={{ fontFamily: MONOSPACE, wordBreak: 'break-all' }}>
      {colonHex(hex)}
    </code>
  );
}

export function CeremonyTranscript({ issued }: { issued: IssuedCertificate }) {
  const certificate = issued.certificate;
  const [witnesses, setWitnesses] = useState('');
  const [notes, setNotes] = useState('');
  const [transcript, setTranscript] = useState<Transcript>();

  const prepare = useAction(async () => {
    const names = witnesses
      .split(/\n|,/)
      .map((name) => name.trim())
      .filter(Boolean);
    setTranscript(
      await call('ceremony:transcript', {
        certId: certificate.id,
        witnesses: names,
        ...(notes.trim() ? { notes: notes.trim() } : {}),
      }),
    );
  });

  // The transcript is there at once; adding witnesses afterwards prepares it again.
  const prepared = useRef(false);
  useEffect(() => {
    if (prepared.current) return;
    prepared.current = true;
    void prepare.run();
  });

  return (
    <Stack spacing={3}>
      <Paper
        className="transcript"
        component="section"
        aria-label="Ceremony transcript"
        sx={{ p: 3 }}
      >
        <Typography variant="h2" sx={{ mb: 1 }}>
          {transcript?.title ?? 'Root CA key ceremony'}
        </Typography>
        <DetailTable
          label="Root CA certificate"
          rows={[
            ['Subject', certificate.subject],
            [
              'Serial number',
              <code key="serial" style={{ fontFamily: MONOSPACE }}>
                {certificate.serialNumber}
              </code>,
            ],
            ['Not before', formatDateTime(certificate.notBefore)],
            ['Not after', formatDateTime(certificate.notAfter)],
            ['Key', certificate.publicKey.description],
            [
              'Certificate SHA-256',
              <Fingerprint key="sha256" hex={certificate.fingerprints.sha256} />,
            ],
            ['Certificate SHA-1', <Fingerprint key="sha1" hex={certificate.fingerprints.sha1} />],
            [
              'Public key (SPKI) SHA-256',
              <Fingerprint key="spki" hex={certificate.publicKey.spkiSha256} />,
            ],
          ]}
        />
        {transcript && (
          <Box
            component="pre"
            aria-label="Transcript text"
            sx={{ fontFamily: MONOSPACE, fontSize: 12, whiteSpace: 'pre-wrap', mt: 3, mb: 0 }}
          >
            {transcript.markdown}
          </Box>
        )}
      </Paper>
      <ErrorAlert error={prepare.error} onClose={prepare.clearError} />

      <Paper className="no-print" sx={{ p: 2 }}>
        <Typography variant="h3">Witnesses and notes</Typography>
        <TextField
          label="Witnesses (one per line)"
          value={witnesses}
          onChange={(event) => setWitnesses(event.target.value)}
          multiline
          minRows={2}
        />
        <TextField
          label="Notes"
          value={notes}
          onChange={(event) => setNotes(event.target.value)}
          multiline
          minRows={2}
        />
        <Stack direction="row" spacing={1} sx={{ mt: 1 }}>
          <Button variant="outlined" onClick={() => void prepare.run()} disabled={prepare.pending}>
            Update transcript
          </Button>
          <Button
            variant="contained"
            startIcon={<PrintIcon />}
            onClick={() => window.print()}
            disabled={!transcript}
          >
            Print transcript
          </Button>
          <Button href={routeHref({ page: 'certificate', id: certificate.id })}>
            Inspect certificate
          </Button>
          <Button href={routeHref({ page: 'issue-subordinate', issuer: certificate.id })}>
            Issue a subordinate CA
          </Button>
        </Stack>
      </Paper>
    </Stack>
  );
}
