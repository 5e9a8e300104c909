// One certificate in full: subject, issuer, serial, validity, every extension, fingerprints, the
// public key, the chain the vault knows, and the PEM to copy.
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { call } from '../client/client';
import { CopyButton } from '../components/CopyButton';
import { DetailTable } from '../components/DetailTable';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { formatDateTime, formatDaysRemaining } from '../format/dates';
import { colonHex } from '../format/fingerprint';
import { useLoad } from '../hooks/useLoad';
import { routeHref } from '../navigation/routes';
import { MONOSPACE } from '../theme';
import { TrustPanel } from './formats/TrustPanel';
import { CertificateLifecycle } from './lifecycle/CertificateLifecycle';

function Mono({ children }: { children: ReactNode }) {
  return <code style={{ fontFamily: MONOSPACE, wordBreak: 'break-all' }}>{children}</code>;
}

function Section({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Paper component="section" aria-label={title} sx={{ p: 2 }}>
      <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between', mb: 1 }}>
        <Typography variant="h2">{title}</Typography>
        {actions}
      </Stack>
      {children}
    </Paper>
  );
}

export function CertificateInspector({ id }: { id: string }) {
  const loaded = useLoad(() => call('certificates:get', { id }), [id]);
  const certificate = loaded.value;
  if (!certificate) return <Loading loading={loaded.loading} error={loaded.error} />;

  return (
    <>
      <PageHeader
        title={certificate.displayName}
        subtitle={
          certificate.isCa
            ? certificate.selfSigned
              ? 'Root CA certificate'
              : 'Subordinate CA certificate'
            : 'End-entity certificate'
        }
        actions={
          <>
            <Button
              variant="contained"
              href={routeHref({ page: 'export', certificate: certificate.id })}
            >
              Export
            </Button>
            {certificate.isCa && certificate.keyId && (
              <Button
                variant="outlined"
                href={routeHref({ page: 'issue-end-entity', issuer: certificate.id })}
              >
                Issue from this CA
              </Button>
            )}
          </>
        }
      />
      <Stack spacing={3}>
        <Section title="Overview">
          <DetailTable
            label="Overview"
            rows={[
              ['Subject', certificate.subject],
              ['Issuer', certificate.issuer],
              ['Serial number', <Mono key="serial">{certificate.serialNumber}</Mono>],
              ['Version', `v${certificate.version}`],
              ['Not before', formatDateTime(certificate.notBefore)],
              [
                'Not after',
                `${formatDateTime(certificate.notAfter)} (${formatDaysRemaining(certificate.daysRemaining)})`,
              ],
              ['Status', <Chip key="status" size="small" label={certificate.status} />],
              [
                'Signature algorithm',
                `${certificate.signatureAlgorithm.name} (${certificate.signatureAlgorithm.oid})`,
              ],
              ['Public key', certificate.publicKey.description],
              [
                'Key in vault',
                certificate.keyId ? (
                  <Link key="key" href={routeHref({ page: 'key', id: certificate.keyId })}>
                    {certificate.keyId}
                  </Link>
                ) : (
                  'No (held elsewhere)'
                ),
              ],
            ]}
          />
        </Section>

        <CertificateLifecycle certificate={certificate} onChanged={loaded.reload} />

        {certificate.isCa && <TrustPanel certificateId={certificate.id} />}

        <Section title="Fingerprints">
          <DetailTable
            label="Fingerprints"
            rows={[
              ['SHA-256', <Mono key="sha256">{colonHex(certificate.fingerprints.sha256)}</Mono>],
              ['SHA-1', <Mono key="sha1">{colonHex(certificate.fingerprints.sha1)}</Mono>],
              [
                'SPKI SHA-256',
                <Mono key="spki">{colonHex(certificate.publicKey.spkiSha256)}</Mono>,
              ],
            ]}
          />
        </Section>

        <Section title="Extensions">
          <Table size="small" aria-label="Extensions">
            <TableHead>
              <TableRow>
                <TableCell>Extension</TableCell>
                <TableCell>Critical</TableCell>
                <TableCell>Value</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {certificate.extensions.map((extension) => (
                <TableRow key={extension.oid}>
                  <TableCell component="th" scope="row" sx={{ verticalAlign: 'top' }}>
                    {extension.name}
                    <Typography variant="caption" sx={{ display: 'block' }} color="text.secondary">
                      {extension.oid}
                    </Typography>
                  </TableCell>
                  <TableCell sx={{ verticalAlign: 'top' }}>
                    {extension.critical ? 'Yes' : 'No'}
                  </TableCell>
                  <TableCell sx={{ verticalAlign: 'top' }}>
                    {extension.lines.map((line, index) => (
                      <Box
                        key={index}
                        sx={{ fontFamily: MONOSPACE, fontSize: 13, wordBreak: 'break-all' }}
                      >
                        {line}
                      </Box>
                    ))}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Section>

        {certificate.chain.length > 1 && (
          <Section title="Chain">
            <Stack component="ol" spacing={0.5} sx={{ m: 0, pl: 3 }}>
              {certificate.chain.map((link) => (
                <li key={link.id}>
                  {link.id === certificate.id ? (
                    link.displayName
                  ) : (
                    <Link href={routeHref({ page: 'certificate', id: link.id })}>
                      {link.displayName}
                    </Link>
                  )}
                </li>
              ))}
            </Stack>
          </Section>
        )}

        <Section title="PEM" actions={<CopyButton text={certificate.pem} label="Copy PEM" />}>
          <Box
            component="pre"
            aria-label="Certificate PEM"
            tabIndex={0}
            sx={{ fontFamily: MONOSPACE, fontSize: 12, overflowX: 'auto', m: 0 }}
          >
            {certificate.pem}
          </Box>
        </Section>
      </Stack>
    </>
  );
}
