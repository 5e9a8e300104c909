// Batch issuance: one certificate per CSV line (header: cn or subject, sans, days), each with a new
// key, made the way a template says. Runs with a progress bar and a Cancel button; the result
// table says, line by line, what was issued and what failed and why.
import Alert from '@mui/material/Alert';
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
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useRef, useState } from 'react';
import type { BatchCsvSource, BatchResultDto } from '../../../shared/bridge/issuance-dto';
import { call } from '../../client/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { IssuerSelect } from '../../components/IssuerSelect';
import { PageHeader } from '../../components/PageHeader';
import { WorkProgress } from '../../components/WorkProgress';
import { useAction } from '../../hooks/useAction';
import { routeHref } from '../../navigation/routes';
import { MONOSPACE } from '../../theme';
import { FileChooser } from '../formats/FileChooser';
import { TemplateSelect } from './TemplateSelect';

const EXAMPLE = 'cn,sans,days\ndevice-001,DNS:device-001.example.com,90\n';

function summary(result: BatchResultDto): string {
  const run = result.issued + result.failed;
  const parts = [`${result.issued} issued`, `${result.failed} failed`];
  if (result.cancelled) parts.push(`${result.total - run} not run (cancelled)`);
  return `${parts.join(', ')} of ${result.total} lines.`;
}

export function BatchPage({ template: initialTemplate }: { template?: string }) {
  const [issuerId, setIssuerId] = useState('');
  const [template, setTemplate] = useState(initialTemplate ?? '');
  const [csvText, setCsvText] = useState('');
  const [file, setFile] = useState<{ name: string; source: BatchCsvSource }>();
  const [result, setResult] = useState<BatchResultDto>();
  /** What the CSV holds that the batch would ignore, for the officer to accept before running. */
  const [warnings, setWarnings] = useState<string[]>();
  const batchId = useRef<string>(undefined);

  const run = useAction(async (accepted: boolean) => {
    setResult(undefined);
    const csv: BatchCsvSource = file ? file.source : { kind: 'text', text: csvText };
    if (!accepted) {
      const preview = await call('batch:preview', { csv });
      if (preview.warnings.length > 0) {
        setWarnings(preview.warnings);
        return;
      }
    }
    setWarnings(undefined);
    const id = crypto.randomUUID();
    batchId.current = id;
    try {
      setResult(
        await call('batch:issue', {
          batchId: id,
          issuerId,
          template,
          csv,
        }),
      );
    } finally {
      batchId.current = undefined;
    }
  });
  const cancel = useAction(async () => {
    if (batchId.current) await call('batch:cancel', { batchId: batchId.current });
  });

  const ready = Boolean(issuerId && template && (file || csvText.trim()));
  const failedLines = result?.lines.filter((line) => line.outcome === 'failed').length ?? 0;

  return (
    <>
      <PageHeader
        title="Batch issuance"
        subtitle="One certificate per CSV line, each with a new key, the template's way."
      />
      <Paper sx={{ p: 3, maxWidth: 960 }}>
        <IssuerSelect value={issuerId} onChange={setIssuerId} disabled={run.pending} />
        <TemplateSelect value={template} onChange={setTemplate} disabled={run.pending} />
        <Typography variant="h3" sx={{ mt: 1, mb: 1 }}>
          Subjects (CSV)
        </Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
          Header: <code style={{ fontFamily: MONOSPACE }}>cn</code> or{' '}
          <code style={{ fontFamily: MONOSPACE }}>subject</code> (required),{' '}
          <code style={{ fontFamily: MONOSPACE }}>sans</code> (separated by semicolons or spaces),{' '}
          <code style={{ fontFamily: MONOSPACE }}>days</code> (optional, else the template&apos;s).
        </Typography>
        {file ? (
          <Stack direction="row" spacing={1} sx={{ mb: 2, alignItems: 'center' }}>
            <Typography variant="body2">CSV file:</Typography>
            <Chip label={file.name} />
            <Button
              size="small"
              onClick={() => {
                setFile(undefined);
                setWarnings(undefined);
              }}
              disabled={run.pending}
            >
              Paste instead
            </Button>
          </Stack>
        ) : (
          <>
            <TextField
              label="CSV"
              value={csvText}
              onChange={(event) => {
                setCsvText(event.target.value);
                setWarnings(undefined);
              }}
              multiline
              minRows={6}
              maxRows={16}
              placeholder={EXAMPLE}
              disabled={run.pending}
              slotProps={{
                htmlInput: { spellCheck: false, style: { fontFamily: MONOSPACE, fontSize: 12 } },
              }}
            />
            <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
              Or load a CSV file:
            </Typography>
            <FileChooser
              purpose="import"
              multiple={false}
              disabled={run.pending}
              onChosen={([chosen]) => {
                setWarnings(undefined);
                if (chosen) setFile({ name: chosen.name, source: chosen.source });
              }}
            />
          </>
        )}
        <ErrorAlert error={run.error ?? cancel.error} onClose={run.clearError} />
        {warnings && !run.pending && (
          <Alert
            severity="warning"
            sx={{ my: 2 }}
            aria-label="CSV warnings"
            action={
              <Stack spacing={1}>
                <Button color="inherit" size="small" onClick={() => void run.run(true)}>
                  Run anyway
                </Button>
                <Button color="inherit" size="small" onClick={() => setWarnings(undefined)}>
                  Fix the CSV
                </Button>
              </Stack>
            }
          >
            The batch would ignore part of this CSV:
            <ul>
              {warnings.map((warning) => (
                <li key={warning}>{warning}</li>
              ))}
            </ul>
          </Alert>
        )}
        <WorkProgress active={run.pending} channel="batch:issue" label="Issuing the batch" />
        <Stack direction="row" spacing={1} sx={{ mt: 2 }}>
          <Button
            variant="contained"
            disabled={!ready || run.pending}
            onClick={() => void run.run(false)}
          >
            Run batch
          </Button>
          {run.pending && (
            <Button color="warning" onClick={() => void cancel.run()} disabled={cancel.pending}>
              Cancel
            </Button>
          )}
        </Stack>
      </Paper>

      {result && (
        <Paper sx={{ p: 3, mt: 3, maxWidth: 960 }} component="section" aria-label="Batch result">
          <Alert
            severity={result.failed || result.cancelled ? 'warning' : 'success'}
            sx={{ mb: 2 }}
            role="status"
          >
            {summary(result)}
            {failedLines > 0 && ' The failed lines say why; fix them and run those lines again.'}
          </Alert>
          {result.warnings.map((warning) => (
            <Alert key={warning} severity="info" sx={{ mb: 1 }}>
              {warning}
            </Alert>
          ))}
          <Table size="small" aria-label="Batch results">
            <TableHead>
              <TableRow>
                <TableCell>Line</TableCell>
                <TableCell>Outcome</TableCell>
                <TableCell>Subject</TableCell>
                <TableCell>Certificate or error</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {result.lines.map((line) => (
                <TableRow key={line.line}>
                  <TableCell>{line.line}</TableCell>
                  <TableCell>
                    <Chip
                      size="small"
                      color={line.outcome === 'issued' ? 'success' : 'error'}
                      label={line.outcome === 'issued' ? 'Issued' : 'Failed'}
                    />
                  </TableCell>
                  <TableCell>{line.subject}</TableCell>
                  <TableCell>
                    {line.outcome === 'issued' ? (
                      <Link href={routeHref({ page: 'certificate', id: line.certId })}>
                        {line.certId}
                      </Link>
                    ) : (
                      line.message
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Paper>
      )}
    </>
  );
}
