// What a page shows once a certificate has been issued: what it is and where to go next.
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { IssuedCertificate } from '../../../shared/contract';
import { DetailTable } from '../../components/DetailTable';
import { formatDateTime } from '../../format/dates';
import { colonHex } from '../../format/fingerprint';
import { routeHref } from '../../navigation/routes';
import { MONOSPACE } from '../../theme';

export function IssuedResult({
  issued,
  onAnother,
}: {
  issued: IssuedCertificate;
  onAnother: () => void;
}) {
  const certificate = issued.certificate;
  return (
    <Paper sx={{ p: 3, maxWidth: 860 }} component="section" aria-label="Issued certificate">
      <Alert severity="success" sx={{ mb: 2 }}>
        Issued {certificate.displayName}.
      </Alert>
      <Typography variant="h2" sx={{ mb: 1 }}>
        {certificate.displayName}
      </Typography>
      <DetailTable
        rows={[
          ['Subject', certificate.subject],
          ['Issuer', certificate.issuer],
          [
            'Serial number',
            <code key="serial" style={{ fontFamily: MONOSPACE }}>
              {certificate.serialNumber}
            </code>,
          ],
          [
            'Valid',
            `${formatDateTime(certificate.notBefore)} to ${formatDateTime(certificate.notAfter)}`,
          ],
          [
            'SHA-256',
            <code key="fp" style={{ fontFamily: MONOSPACE, wordBreak: 'break-all' }}>
              {colonHex(certificate.fingerprints.sha256)}
            </code>,
          ],
          [
            'Key',
            issued.key
              ? `${issued.key.label} (in this vault)`
              : 'Held by the requester (from the CSR)',
          ],
        ]}
      />
      <Stack direction="row" spacing={1} sx={{ mt: 2 }}>
        <Button
          variant="contained"
          href={routeHref({ page: 'export', certificate: certificate.id })}
        >
          Export
        </Button>
        <Button href={routeHref({ page: 'certificate', id: certificate.id })}>Inspect</Button>
        <Button onClick={onAnother}>Issue another</Button>
      </Stack>
    </Paper>
  );
}
