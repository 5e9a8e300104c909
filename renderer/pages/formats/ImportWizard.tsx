// The import wizard: choose files, see what the main process detected in each, give a password
// only where one is needed (and learn whether it was wrong or the file uses something MazeVault
// cannot read), choose the entries and the mode, then import them in one transaction with
// progress and a Cancel button. Passwords stay in this page's state until the import ends.
import DeleteIcon from '@mui/icons-material/Delete';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import IconButton from '@mui/material/IconButton';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Paper from '@mui/material/Paper';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Step from '@mui/material/Step';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type {
  FilePreviewDto,
  ImportModeDto,
  ImportResultDto,
} from '../../../shared/bridge/formats-dto';
import { call } from '../../client/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { WorkProgress } from '../../components/WorkProgress';
import { formatDate } from '../../format/dates';
import { useAction } from '../../hooks/useAction';
import { routeHref } from '../../navigation/routes';
import { FileChooser } from './FileChooser';
import { DETECTED_FORMAT_LABELS, shortHex, type ChosenFile } from './files';

const STEPS = ['Files', 'Contents and mode', 'Result'] as const;

/** The passwords typed for one file: its own, and key passwords by alias. */
interface FilePasswords {
  password?: string;
  keyPasswords?: Record<string, string>;
}

/** Which entries of one file the officer keeps ticked, by fingerprint. */
interface Selection {
  certificates: Set<string>;
  privateKeys: Set<string>;
  crls: Set<string>;
}

function allOf(preview: FilePreviewDto): Selection {
  return {
    certificates: new Set(preview.certificates.filter((c) => !c.problem).map((c) => c.sha256)),
    privateKeys: new Set(
      preview.privateKeys.flatMap((k) => (k.spkiSha256 && !k.problem ? [k.spkiSha256] : [])),
    ),
    crls: new Set(preview.crls.filter((c) => !c.problem).map((c) => c.sha256)),
  };
}

function newImportId(): string {
  return crypto.randomUUID();
}

function InVault({ id }: { id: string | undefined }) {
  if (!id) return <Chip size="small" color="primary" variant="outlined" label="new" />;
  return <Chip size="small" label="already in the vault" />;
}

function PasswordRequest(props: {
  preview: FilePreviewDto;
  value: string;
  onChange: (value: string) => void;
  onSubmit: () => void;
  pending: boolean;
}) {
  const { preview } = props;
  const target = preview.passwordTarget;
  const label =
    target?.kind === 'key'
      ? `Key password of "${target.alias}" in ${preview.name}`
      : `Password of ${preview.name}`;
  return (
    <Box
      component="form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        props.onSubmit();
      }}
    >
      {preview.passwordAttempted ? (
        <Alert severity="error" sx={{ mb: 2 }} role="alert">
          Wrong password. {preview.error?.message}
        </Alert>
      ) : (
        <Alert severity="info" sx={{ mb: 2 }}>
          {preview.error?.message ?? 'This file is protected by a password.'}
        </Alert>
      )}
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'flex-start' }}>
        <TextField
          label={label}
          type="password"
          autoComplete="off"
          value={props.value}
          onChange={(event) => props.onChange(event.target.value)}
          sx={{ flexGrow: 1 }}
        />
        <Button
          type="submit"
          variant="contained"
          disabled={!props.value || props.pending}
          sx={{ mt: 1, height: 40 }}
        >
          Open
        </Button>
      </Box>
    </Box>
  );
}

function FileContents(props: {
  preview: FilePreviewDto;
  selection: Selection | undefined;
  onToggle: (kind: keyof Selection, fingerprint: string, on: boolean) => void;
  mode: ImportModeDto;
}) {
  const { preview, selection } = props;
  const tick = (kind: keyof Selection, fingerprint: string, label: string, disabled = false) => (
    <Checkbox
      checked={Boolean(selection?.[kind].has(fingerprint))}
      disabled={disabled}
      onChange={(event) => props.onToggle(kind, fingerprint, event.target.checked)}
      slotProps={{ input: { 'aria-label': `Import ${label}` } }}
    />
  );

  return (
    <Box>
      {preview.warnings.map((warning) => (
        <Alert key={warning} severity="warning" sx={{ mb: 1 }}>
          {warning}
        </Alert>
      ))}
      {preview.privateKeys.length > 0 && (
        <Table size="small" aria-label={`Private keys in ${preview.name}`} sx={{ mb: 2 }}>
          <TableHead>
            <TableRow>
              <TableCell padding="checkbox" />
              <TableCell>Private key</TableCell>
              <TableCell>Public key SHA-256</TableCell>
              <TableCell>In the vault</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {preview.privateKeys.map((key, index) => {
              const name = key.alias ?? key.friendlyName ?? `key ${index + 1}`;
              return (
                <TableRow key={key.spkiSha256 ?? index}>
                  <TableCell padding="checkbox">
                    {key.spkiSha256 &&
                      tick(
                        'privateKeys',
                        key.spkiSha256,
                        `private key ${name}`,
                        props.mode === 'remote',
                      )}
                  </TableCell>
                  <TableCell>
                    {key.type.toUpperCase()} key {name}
                    {key.problem && (
                      <Typography variant="body2" color="error">
                        {key.problem}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell sx={{ fontFamily: 'monospace' }}>
                    {key.spkiSha256 ? shortHex(key.spkiSha256) : '—'}
                  </TableCell>
                  <TableCell>
                    <InVault id={key.inVault} />
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      {props.mode === 'remote' && preview.privateKeys.length > 0 && (
        <Alert severity="info" sx={{ mb: 2 }}>
          Remote Storage: the private keys stay where they are; only the certificates are kept.
        </Alert>
      )}
      {preview.certificates.length > 0 && (
        <Table size="small" aria-label={`Certificates in ${preview.name}`} sx={{ mb: 2 }}>
          <TableHead>
            <TableRow>
              <TableCell padding="checkbox" />
              <TableCell>Subject</TableCell>
              <TableCell>Issuer</TableCell>
              <TableCell>Valid until</TableCell>
              <TableCell>SHA-256</TableCell>
              <TableCell>In the vault</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {preview.certificates.map((cert) => (
              <TableRow key={cert.sha256}>
                <TableCell padding="checkbox">
                  {tick('certificates', cert.sha256, `certificate ${cert.subject}`, !!cert.problem)}
                </TableCell>
                <TableCell sx={{ wordBreak: 'break-word' }}>
                  {cert.subject}
                  {cert.isCa && <Chip size="small" label="CA" sx={{ ml: 1 }} />}
                  {cert.keyIndex !== undefined && (
                    <Chip size="small" label="with its key" sx={{ ml: 1 }} />
                  )}
                  {cert.problem && (
                    <Typography variant="body2" color="error">
                      {cert.problem}
                    </Typography>
                  )}
                </TableCell>
                <TableCell sx={{ wordBreak: 'break-word' }}>{cert.issuer}</TableCell>
                <TableCell>{cert.notAfter ? formatDate(cert.notAfter) : '—'}</TableCell>
                <TableCell sx={{ fontFamily: 'monospace' }}>{shortHex(cert.sha256)}</TableCell>
                <TableCell>
                  <InVault id={cert.inVault} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {preview.crls.length > 0 && (
        <Table size="small" aria-label={`CRLs in ${preview.name}`} sx={{ mb: 2 }}>
          <TableHead>
            <TableRow>
              <TableCell padding="checkbox" />
              <TableCell>CRL issuer</TableCell>
              <TableCell>This update</TableCell>
              <TableCell>Entries</TableCell>
              <TableCell>In the vault</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {preview.crls.map((crl) => (
              <TableRow key={crl.sha256}>
                <TableCell padding="checkbox">
                  {tick('crls', crl.sha256, `CRL of ${crl.issuer}`, !!crl.problem)}
                </TableCell>
                <TableCell>
                  {crl.issuer}
                  {crl.problem && (
                    <Typography variant="body2" color="error">
                      {crl.problem}
                    </Typography>
                  )}
                </TableCell>
                <TableCell>{crl.thisUpdate ? formatDate(crl.thisUpdate) : '—'}</TableCell>
                <TableCell>{crl.entries}</TableCell>
                <TableCell>
                  <InVault id={crl.inVault} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {preview.csrs > 0 && (
        <Alert severity="info">
          {preview.csrs} certificate request{preview.csrs === 1 ? '' : 's'}: the vault does not keep
          CSRs; sign them from the end-entity page or inspect them.
        </Alert>
      )}
    </Box>
  );
}

const OUTCOME_LABELS = {
  new: 'new',
  existing: 'already in the vault',
  skipped: 'skipped',
  failed: 'failed',
} as const;

function ImportResultView({ result, onAgain }: { result: ImportResultDto; onAgain: () => void }) {
  const { counts } = result;
  return (
    <Paper sx={{ p: 3, maxWidth: 1100 }} component="section" aria-label="Import result">
      <Alert severity={counts.failed > 0 ? 'warning' : 'success'} sx={{ mb: 2 }} role="status">
        Imported in {result.mode === 'internal' ? 'Internal Vault' : 'Remote Storage'} mode:{' '}
        {counts.new} new, {counts.existing} already in the vault, {counts.skipped} skipped,{' '}
        {counts.failed} failed.
      </Alert>
      {result.warnings.length > 0 && (
        <Alert severity="warning" sx={{ mb: 2 }} aria-label="Import warnings">
          {result.warnings.map((warning) => (
            <div key={warning}>{warning}</div>
          ))}
        </Alert>
      )}
      <Table size="small" aria-label="Imported entries">
        <TableHead>
          <TableRow>
            <TableCell>Outcome</TableCell>
            <TableCell>Kind</TableCell>
            <TableCell>Entry</TableCell>
            <TableCell>File</TableCell>
            <TableCell>Details</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {result.entries.map((entry, index) => (
            <TableRow key={`${entry.file}-${entry.fingerprint ?? index}-${entry.kind}`}>
              <TableCell>
                <Chip
                  size="small"
                  label={OUTCOME_LABELS[entry.outcome]}
                  color={
                    entry.outcome === 'new'
                      ? 'success'
                      : entry.outcome === 'failed'
                        ? 'error'
                        : 'default'
                  }
                />
              </TableCell>
              <TableCell>{entry.kind}</TableCell>
              <TableCell sx={{ wordBreak: 'break-word' }}>
                {entry.kind === 'certificate' && entry.id ? (
                  <a href={routeHref({ page: 'certificate', id: entry.id })}>{entry.label}</a>
                ) : (
                  entry.label
                )}
              </TableCell>
              <TableCell>{entry.file}</TableCell>
              <TableCell>{entry.error?.message ?? entry.note ?? ''}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Box sx={{ display: 'flex', gap: 1, mt: 2 }}>
        <Button onClick={onAgain}>Import more files</Button>
        <Button component="a" href={routeHref({ page: 'certificates' })}>
          Open the certificates
        </Button>
      </Box>
    </Paper>
  );
}

export function ImportWizard() {
  const [step, setStep] = useState(0);
  const [files, setFiles] = useState<ChosenFile[]>([]);
  const [passwords, setPasswords] = useState<Record<string, FilePasswords>>({});
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [previews, setPreviews] = useState<FilePreviewDto[]>([]);
  const [selection, setSelection] = useState<Record<string, Selection>>({});
  const [mode, setMode] = useState<ImportModeDto>('internal');
  const [remoteLocation, setRemoteLocation] = useState('');
  const [trustAnchors, setTrustAnchors] = useState(false);
  const [importId, setImportId] = useState('');
  const [result, setResult] = useState<ImportResultDto>();

  const request = (file: ChosenFile, given = passwords) => ({
    source: file.source,
    ...(given[file.key]?.password ? { password: given[file.key]!.password } : {}),
    ...(given[file.key]?.keyPasswords ? { keyPasswords: given[file.key]!.keyPasswords } : {}),
  });

  const read = useAction(async (given: Record<string, FilePasswords>) => {
    const answer = await call('import:preview', { files: files.map((f) => request(f, given)) });
    const before = previews;
    setPreviews(answer.files);
    setSelection((previous) => {
      // A file that was already readable keeps the officer's choice; one just opened starts
      // with everything ticked.
      const next: Record<string, Selection> = {};
      answer.files.forEach((preview, index) => {
        const key = files[index]!.key;
        const kept = before[index]?.status === 'ready' ? previous[key] : undefined;
        next[key] = kept ?? allOf(preview);
      });
      return next;
    });
    setStep(1);
  });

  const tryPassword = (file: ChosenFile, preview: FilePreviewDto) => {
    const value = typed[file.key] ?? '';
    const current = passwords[file.key] ?? {};
    const target = preview.passwordTarget;
    const updated: FilePasswords =
      target?.kind === 'key'
        ? { ...current, keyPasswords: { ...current.keyPasswords, [target.alias]: value } }
        : { ...current, password: value };
    const given = { ...passwords, [file.key]: updated };
    setPasswords(given);
    setTyped((previous) => ({ ...previous, [file.key]: '' }));
    void read.run(given);
  };

  const runImport = useAction(async () => {
    const id = newImportId();
    setImportId(id);
    try {
      const chosen = files
        .map((file, index) => ({ file, preview: previews[index]! }))
        .filter(({ preview }) => preview.status === 'ready');
      const answer = await call('import:commit', {
        importId: id,
        mode,
        ...(mode === 'remote' ? { remoteLocation: remoteLocation.trim() } : {}),
        ...(trustAnchors ? { trustAnchors: true } : {}),
        files: chosen.map(({ file }) => {
          const picked = selection[file.key]!;
          return {
            ...request(file),
            only: {
              certificates: [...picked.certificates],
              privateKeys: mode === 'remote' ? [] : [...picked.privateKeys],
              crls: [...picked.crls],
            },
          };
        }),
      });
      setResult(answer);
      setPasswords({});
      setStep(2);
    } finally {
      setImportId('');
    }
  });

  const cancel = useAction(async () => {
    if (importId) await call('import:cancel', { importId });
  });

  const restart = () => {
    setFiles([]);
    setPreviews([]);
    setPasswords({});
    setTyped({});
    setSelection({});
    setResult(undefined);
    setStep(0);
    read.clearError();
    runImport.clearError();
  };

  const addFiles = (chosen: ChosenFile[]) => {
    setFiles((previous) => [
      ...previous,
      ...chosen.filter((file) => !previous.some((p) => p.key === file.key)),
    ]);
  };

  const toggle = (fileKey: string, kind: keyof Selection, fingerprint: string, on: boolean) => {
    setSelection((previous) => {
      const current = previous[fileKey];
      if (!current) return previous;
      const set = new Set(current[kind]);
      if (on) set.add(fingerprint);
      else set.delete(fingerprint);
      return { ...previous, [fileKey]: { ...current, [kind]: set } };
    });
  };

  const ready = previews.filter((preview) => preview.status === 'ready');
  const chosenCount = files.reduce((sum, file, index) => {
    if (previews[index]?.status !== 'ready') return sum;
    const picked = selection[file.key];
    if (!picked) return sum;
    const keys = mode === 'remote' ? 0 : picked.privateKeys.size;
    return sum + picked.certificates.size + keys + picked.crls.size;
  }, 0);
  const canImport =
    ready.length > 0 &&
    chosenCount > 0 &&
    (mode === 'internal' || remoteLocation.trim().length > 0) &&
    !runImport.pending;

  return (
    <>
      <PageHeader
        title="Import"
        subtitle="Certificates, keys and CRLs from any file: the format is read from the bytes."
      />
      <Stepper activeStep={step} sx={{ mb: 3, maxWidth: 1100 }} aria-label="Import steps">
        {STEPS.map((name) => (
          <Step key={name}>
            <StepLabel>{name}</StepLabel>
          </Step>
        ))}
      </Stepper>

      {step === 2 && result && <ImportResultView result={result} onAgain={restart} />}

      {step === 0 && (
        <Paper sx={{ p: 3, maxWidth: 1100 }}>
          <FileChooser purpose="import" multiple onChosen={addFiles} disabled={read.pending} />
          {files.length > 0 && (
            <List dense aria-label="Files to import" sx={{ mt: 2 }}>
              {files.map((file) => (
                <ListItem
                  key={file.key}
                  secondaryAction={
                    <IconButton
                      edge="end"
                      aria-label={`Remove ${file.name}`}
                      onClick={() => setFiles((previous) => previous.filter((f) => f !== file))}
                    >
                      <DeleteIcon />
                    </IconButton>
                  }
                >
                  <ListItemText
                    primary={file.name}
                    secondary={file.source.kind === 'path' ? file.source.path : 'dropped file'}
                  />
                </ListItem>
              ))}
            </List>
          )}
          <ErrorAlert error={read.error} onClose={read.clearError} />
          <WorkProgress active={read.pending} channel="import:preview" label="Reading the files" />
          <Button
            variant="contained"
            sx={{ mt: 2 }}
            disabled={files.length === 0 || read.pending}
            onClick={() => void read.run(passwords)}
          >
            Read files
          </Button>
        </Paper>
      )}

      {step === 1 && (
        <Box sx={{ maxWidth: 1100 }}>
          {files.map((file, index) => {
            const preview = previews[index];
            if (!preview) return null;
            return (
              <Paper
                key={file.key}
                sx={{ p: 3, mb: 2 }}
                component="section"
                aria-label={`File ${preview.name}`}
              >
                <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 2 }}>
                  <Typography variant="h6" component="h2" sx={{ flexGrow: 1 }}>
                    {preview.name}
                  </Typography>
                  <Chip label={DETECTED_FORMAT_LABELS[preview.format] ?? preview.format} />
                  <Chip
                    label={
                      preview.status === 'ready'
                        ? 'ready'
                        : preview.status === 'password'
                          ? 'needs a password'
                          : 'cannot be read'
                    }
                    color={
                      preview.status === 'ready'
                        ? 'success'
                        : preview.status === 'password'
                          ? 'warning'
                          : 'error'
                    }
                  />
                </Box>
                {preview.status === 'password' && (
                  <PasswordRequest
                    preview={preview}
                    value={typed[file.key] ?? ''}
                    onChange={(value) => setTyped((p) => ({ ...p, [file.key]: value }))}
                    onSubmit={() => tryPassword(file, preview)}
                    pending={read.pending}
                  />
                )}
                {preview.status === 'failed' && (
                  <Alert severity="error">
                    Cannot import this file: {preview.error?.message ?? 'it cannot be read.'}
                  </Alert>
                )}
                {preview.status === 'ready' && (
                  <FileContents
                    preview={preview}
                    selection={selection[file.key]}
                    mode={mode}
                    onToggle={(kind, fingerprint, on) => toggle(file.key, kind, fingerprint, on)}
                  />
                )}
              </Paper>
            );
          })}
          <ErrorAlert error={read.error} onClose={read.clearError} />
          <WorkProgress active={read.pending} channel="import:preview" label="Reading the files" />

          <Paper sx={{ p: 3 }} component="section" aria-label="Import mode">
            <FormControl>
              <FormLabel id="import-mode-label">Import mode</FormLabel>
              <RadioGroup
                aria-labelledby="import-mode-label"
                value={mode}
                onChange={(event) => setMode(event.target.value as ImportModeDto)}
              >
                <FormControlLabel
                  value="internal"
                  control={<Radio />}
                  label="Internal Vault: private keys are sealed into the vault"
                />
                <FormControlLabel
                  value="remote"
                  control={<Radio />}
                  label="Remote Storage: keep the certificates; the keys stay on their server"
                />
              </RadioGroup>
            </FormControl>
            {mode === 'remote' && (
              <TextField
                label="Private key location"
                value={remoteLocation}
                onChange={(event) => setRemoteLocation(event.target.value)}
                required
                fullWidth
                helperText="Where the private keys live, e.g. web01.example.com:/etc/ssl/private"
              />
            )}
            <FormControlLabel
              sx={{ display: 'flex', mt: 1 }}
              control={
                <Checkbox
                  checked={trustAnchors}
                  onChange={(event) => setTrustAnchors(event.target.checked)}
                />
              }
              label="Trust the self-signed CA certificates of these files for validation"
            />
            <ErrorAlert error={runImport.error} onClose={runImport.clearError} />
            <WorkProgress active={runImport.pending} channel="import:commit" label="Importing" />
            <Box sx={{ display: 'flex', gap: 1, mt: 2 }}>
              <Button onClick={() => setStep(0)} disabled={runImport.pending}>
                Back
              </Button>
              <Button
                variant="contained"
                disabled={!canImport}
                onClick={() => void runImport.run()}
              >
                Import {chosenCount} {chosenCount === 1 ? 'entry' : 'entries'}
              </Button>
              {runImport.pending && (
                <Button
                  color="warning"
                  variant="outlined"
                  onClick={() => void cancel.run()}
                  disabled={!importId || cancel.pending}
                >
                  Cancel import
                </Button>
              )}
            </Box>
          </Paper>
        </Box>
      )}
    </>
  );
}
