// The inspector for any certificate, CSR or CRL, from a file or from the vault: every field (with
// unusual or undecodable ones flagged), extensions (critical ones marked, unknown ones as hex),
// fingerprints, revoked entries and the ASN.1 tree. Nothing is imported.
import WarningAmberIcon from '@mui/icons-material/WarningAmber';
import Accordion from '@mui/material/Accordion';
import AccordionDetails from '@mui/material/AccordionDetails';
import AccordionSummary from '@mui/material/AccordionSummary';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import { useEffect, useState } from 'react';
import type {
  FileInspectionDto,
  InspectedField,
  InspectedObject,
} from '../../../shared/bridge/formats-dto';
import type { Request } from '../../../shared/contract';
import { call } from '../../client/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { WorkProgress } from '../../components/WorkProgress';
import { useAction } from '../../hooks/useAction';
import { MONOSPACE } from '../../theme';
import { Asn1Tree } from './Asn1Tree';
import { FileChooser } from './FileChooser';
import { DETECTED_FORMAT_LABELS, type ChosenFile } from './files';

type InspectSource = Request<'inspect:file'>['source'];

const KIND_LABELS: Record<InspectedObject['kind'], string> = {
  certificate: 'Certificate',
  csr: 'Certificate request',
  crl: 'Certificate revocation list',
};

function FieldRow({ field }: { field: InspectedField }) {
  return (
    <TableRow>
      <TableCell
        component="th"
        scope="row"
        sx={{ width: 200, color: 'text.secondary', verticalAlign: 'top' }}
      >
        {field.name}
      </TableCell>
      <TableCell sx={{ wordBreak: 'break-word', whiteSpace: 'pre-line' }}>
        {field.value}
        {field.problem && (
          <Box
            sx={{ display: 'flex', alignItems: 'center', gap: 0.5, color: 'warning.dark', mt: 0.5 }}
          >
            <WarningAmberIcon fontSize="small" aria-hidden />
            <span>Flagged: {field.problem}</span>
          </Box>
        )}
      </TableCell>
    </TableRow>
  );
}

function ObjectView({ object, index }: { object: InspectedObject; index: number }) {
  const label = `${KIND_LABELS[object.kind]} ${index + 1}: ${object.title}`;
  return (
    <Paper sx={{ p: 3, mb: 2 }} component="section" aria-label={label}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1, flexWrap: 'wrap' }}>
        <Chip label={KIND_LABELS[object.kind]} color="primary" variant="outlined" />
        <Typography variant="h6" component="h2" sx={{ wordBreak: 'break-word' }}>
          {object.title}
        </Typography>
        {object.alias && <Chip label={`alias ${object.alias}`} size="small" />}
      </Box>
      {object.problems.length > 0 && (
        <Alert severity="warning" sx={{ mb: 2 }} aria-label="Problems">
          <Box component="ul" sx={{ m: 0, pl: 2 }}>
            {object.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </Box>
        </Alert>
      )}
      <Table size="small" aria-label={`Fields of ${object.title}`}>
        <TableBody>
          {object.fields.map((field) => (
            <FieldRow key={field.name} field={field} />
          ))}
          {object.fingerprints && (
            <>
              <FieldRow
                field={{ name: 'SHA-256 fingerprint', value: object.fingerprints.sha256 }}
              />
              <FieldRow field={{ name: 'SHA-1 fingerprint', value: object.fingerprints.sha1 }} />
            </>
          )}
        </TableBody>
      </Table>

      <Typography variant="subtitle1" component="h3" sx={{ mt: 3, mb: 1 }}>
        {object.kind === 'csr' ? 'Requested extensions' : 'Extensions'} ({object.extensions.length})
      </Typography>
      {object.extensions.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          None.
        </Typography>
      ) : (
        <Table size="small" aria-label={`Extensions of ${object.title}`}>
          <TableHead>
            <TableRow>
              <TableCell>Extension</TableCell>
              <TableCell>Critical</TableCell>
              <TableCell>Value</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {object.extensions.map((extension) => (
              <TableRow key={`${extension.oid}-${extension.hex.slice(0, 16)}`}>
                <TableCell sx={{ verticalAlign: 'top' }}>
                  {extension.name}
                  {extension.name !== extension.oid && (
                    <Typography variant="caption" sx={{ display: 'block' }} color="text.secondary">
                      {extension.oid}
                    </Typography>
                  )}
                </TableCell>
                <TableCell sx={{ verticalAlign: 'top' }}>
                  {extension.critical ? (
                    <Chip size="small" color="warning" label="critical" />
                  ) : (
                    'no'
                  )}
                </TableCell>
                <TableCell sx={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
                  {extension.known ? (
                    extension.lines.join('\n')
                  ) : (
                    <>
                      <Chip size="small" label="unknown extension, hex" sx={{ mb: 0.5 }} />
                      <Box component="div" sx={{ fontFamily: MONOSPACE }}>
                        {extension.hex}
                      </Box>
                    </>
                  )}
                  {extension.problem && (
                    <Box sx={{ color: 'warning.dark' }}>
                      Flagged: {extension.problem}; hex {extension.hex}
                    </Box>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}

      {object.kind === 'crl' && (
        <>
          <Typography variant="subtitle1" component="h3" sx={{ mt: 3, mb: 1 }}>
            Revoked certificates ({object.revokedCount}
            {object.revoked.length < object.revokedCount
              ? `, the first ${object.revoked.length} shown`
              : ''}
            )
          </Typography>
          <Box sx={{ maxHeight: 360, overflow: 'auto' }}>
            <Table size="small" stickyHeader aria-label={`Revoked certificates of ${object.title}`}>
              <TableHead>
                <TableRow>
                  <TableCell>Serial</TableCell>
                  <TableCell>Revoked</TableCell>
                  <TableCell>Details</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {object.revoked.map((entry, row) => (
                  <TableRow key={`${entry.serial}-${row}`}>
                    <TableCell sx={{ fontFamily: MONOSPACE }}>{entry.serial}</TableCell>
                    <TableCell>{entry.date}</TableCell>
                    <TableCell>{entry.details.join('; ')}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Box>
        </>
      )}

      {object.asn1 && (
        <Accordion sx={{ mt: 3 }} disableGutters>
          <AccordionSummary expandIcon={<ExpandMoreIcon />}>ASN.1 structure</AccordionSummary>
          <AccordionDetails>
            <Asn1Tree root={object.asn1} label={`ASN.1 structure of ${object.title}`} />
          </AccordionDetails>
        </Accordion>
      )}
    </Paper>
  );
}

function InspectionView({ inspection }: { inspection: FileInspectionDto }) {
  return (
    <Box aria-label={`Inspection of ${inspection.name}`} component="section">
      <Typography variant="body1" sx={{ mb: 2 }}>
        <strong>{inspection.name}</strong>: {DETECTED_FORMAT_LABELS[inspection.format]}
      </Typography>
      {inspection.warnings.map((warning) => (
        <Alert key={warning} severity="warning" sx={{ mb: 1 }}>
          {warning}
        </Alert>
      ))}
      {inspection.privateKeys.map((key, index) => (
        <Alert key={`${key.publicKeySha256 ?? index}`} severity="info" sx={{ mb: 1 }}>
          Private key {key.alias ? `"${key.alias}" ` : ''}({key.type}
          {key.bits ? `, ${key.bits} bits` : ''}
          {key.curve ? `, ${key.curve}` : ''}){' '}
          {key.pairedWith
            ? 'paired with the first certificate below'
            : 'with no certificate in the file'}
          . Its bytes stay in the main process.
        </Alert>
      ))}
      {inspection.publicKeys.map((key) => (
        <Alert key={key} severity="info" sx={{ mb: 1 }}>
          Public key: {key}
        </Alert>
      ))}
      {inspection.objects.map((object, index) => (
        <ObjectView key={`${object.kind}-${index}`} object={object} index={index} />
      ))}
      {inspection.objects.length === 0 && !inspection.error && (
        <Alert severity="info">The file holds no certificate, CSR or CRL.</Alert>
      )}
    </Box>
  );
}

export function InspectorPage({ certificate }: { certificate?: string }) {
  const [file, setFile] = useState<ChosenFile>();
  const [password, setPassword] = useState('');
  const [keyPasswords, setKeyPasswords] = useState<Record<string, string>>({});
  const [inspection, setInspection] = useState<FileInspectionDto>();

  const inspect = useAction(
    async (source: InspectSource, given: { password?: string; keys?: Record<string, string> }) => {
      setInspection(
        await call('inspect:file', {
          source,
          ...(given.password ? { password: given.password } : {}),
          ...(given.keys && Object.keys(given.keys).length > 0 ? { keyPasswords: given.keys } : {}),
        }),
      );
    },
  );

  useEffect(() => {
    if (certificate) void inspect.run({ kind: 'vault-certificate', id: certificate }, {});
    // Only when the route names another vault certificate (the page is keyed by it).
  }, [certificate]);

  const choose = (chosen: ChosenFile[]) => {
    const first = chosen[0];
    if (!first) return;
    setFile(first);
    setPassword('');
    setKeyPasswords({});
    setInspection(undefined);
    void inspect.run(first.source, {});
  };

  const target = inspection?.error?.passwordTarget;
  const [typed, setTyped] = useState('');
  const submitPassword = () => {
    if (!file || !target) return;
    if (target.kind === 'key') {
      const keys = { ...keyPasswords, [target.alias]: typed };
      setKeyPasswords(keys);
      void inspect.run(file.source, { password, keys });
    } else {
      setPassword(typed);
      void inspect.run(file.source, { password: typed, keys: keyPasswords });
    }
    setTyped('');
  };
  const wrong = target && (target.kind === 'key' ? target.alias in keyPasswords : password !== '');

  return (
    <>
      <PageHeader
        title="Inspector"
        subtitle="Everything in a certificate, CSR or CRL, read without importing it."
      />
      <Paper sx={{ p: 3, mb: 3, maxWidth: 1100 }}>
        <FileChooser
          purpose="inspect"
          multiple={false}
          onChosen={choose}
          disabled={inspect.pending}
        />
        {file && (
          <Typography variant="body2" sx={{ mt: 1 }}>
            File: <code>{file.source.kind === 'path' ? file.source.path : file.name}</code>
          </Typography>
        )}
      </Paper>
      <WorkProgress active={inspect.pending} channel="inspect:file" label="Reading the file" />
      <ErrorAlert error={inspect.error} onClose={inspect.clearError} />
      {inspection?.error && (
        <Paper sx={{ p: 3, mb: 3, maxWidth: 1100 }}>
          {target ? (
            <Box
              component="form"
              noValidate
              onSubmit={(event) => {
                event.preventDefault();
                submitPassword();
              }}
            >
              <Alert severity={wrong ? 'error' : 'info'} sx={{ mb: 2 }} role="alert">
                {wrong ? 'Wrong password. ' : ''}
                {inspection.error.message}
              </Alert>
              <Box sx={{ display: 'flex', gap: 1, alignItems: 'flex-start' }}>
                <TextField
                  label={
                    target.kind === 'key'
                      ? `Key password of "${target.alias}"`
                      : `Password of ${inspection.name}`
                  }
                  type="password"
                  autoComplete="off"
                  value={typed}
                  onChange={(event) => setTyped(event.target.value)}
                  sx={{ flexGrow: 1 }}
                />
                <Button
                  type="submit"
                  variant="contained"
                  disabled={!typed || inspect.pending}
                  sx={{ mt: 1, height: 40 }}
                >
                  Open
                </Button>
              </Box>
            </Box>
          ) : (
            <Alert severity="error" role="alert">
              {inspection.name} cannot be read: {inspection.error.message}
            </Alert>
          )}
        </Paper>
      )}
      {inspection && (
        <Box sx={{ maxWidth: 1100 }}>
          <InspectionView inspection={inspection} />
        </Box>
      )}
    </>
  );
}
