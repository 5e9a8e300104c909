// Rotation: the certificates due (within the lead time of their rotation interval or of expiry),
// a dry run that shows what would happen, and the run itself, through the same service as
// `mazevault rotate --due` from cron.
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import FormControlLabel from '@mui/material/FormControlLabel';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { RotationRunDto } from '../../../shared/bridge/lifecycle-dto';
import { call } from '../../client/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { WorkProgress } from '../../components/WorkProgress';
import { formatDateTime } from '../../format/dates';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';
import { routeHref } from '../../navigation/routes';

const ACTION_LABELS = {
  renew: 'Renew',
  'ca-rollover': 'CA rollover (ceremony)',
  manual: 'Manual',
} as const;

const OUTCOME_COLOURS = {
  'would-rotate': 'info',
  rotated: 'success',
  skipped: 'default',
  failed: 'error',
} as const;

function RunResult({ run }: { run: RotationRunDto }) {
  return (
    <Paper component="section" aria-label="Rotation result" sx={{ p: 2 }}>
      <Typography variant="h2" sx={{ mb: 1 }}>
        {run.dryRun ? 'Dry run' : 'Rotation run'} at {formatDateTime(run.at)}
      </Typography>
      <Typography variant="body2" role="status" sx={{ mb: 1 }}>
        {run.dryRun
          ? `${run.items.filter((item) => item.outcome === 'would-rotate').length} would be renewed, ${run.skipped} skipped; nothing changed.`
          : `Rotated ${run.rotated}, skipped ${run.skipped}, failed ${run.failed}.`}
      </Typography>
      <Table size="small" aria-label="Rotation outcomes">
        <TableHead>
          <TableRow>
            <TableCell>Certificate</TableCell>
            <TableCell>Outcome</TableCell>
            <TableCell>Successor</TableCell>
            <TableCell>Note</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {run.items.map((item) => (
            <TableRow key={item.certId}>
              <TableCell>
                <Link href={routeHref({ page: 'certificate', id: item.certId })}>
                  {item.subject}
                </Link>
              </TableCell>
              <TableCell>
                <Chip size="small" label={item.outcome} color={OUTCOME_COLOURS[item.outcome]} />
              </TableCell>
              <TableCell>
                {item.successorId ? (
                  <Link href={routeHref({ page: 'certificate', id: item.successorId })}>
                    successor
                  </Link>
                ) : (
                  '—'
                )}
              </TableCell>
              <TableCell>{item.message ?? ''}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Paper>
  );
}

export function RotationPage() {
  const due = useLoad(() => call('rotation:due', { limit: 500 }), []);
  const [confirmed, setConfirmed] = useState(false);
  const [run, setRun] = useState<RotationRunDto>();

  const rotate = useAction(async (dryRun: boolean) => {
    setRun(undefined);
    setRun(await call('rotation:run', { dryRun }));
    setConfirmed(false);
    due.reload();
  });

  const value = due.value;
  return (
    <>
      <PageHeader
        title="Rotation"
        subtitle="Certificates due for renewal by their rotation policy or their expiry."
        actions={
          <>
            <Button
              variant="outlined"
              onClick={() => void rotate.run(true)}
              disabled={rotate.pending || !value?.total}
            >
              Dry run
            </Button>
            <Button
              variant="contained"
              onClick={() => void rotate.run(false)}
              disabled={rotate.pending || !confirmed || !value?.total}
            >
              Rotate now
            </Button>
          </>
        }
      />
      <Stack spacing={3}>
        <Loading loading={due.loading && !value} error={due.error} />
        {value && (
          <Paper component="section" aria-label="Due for rotation" sx={{ p: 2 }}>
            <Stack
              direction="row"
              sx={{ alignItems: 'center', justifyContent: 'space-between', mb: 1 }}
            >
              <Typography variant="h2">Due now: {value.total.toLocaleString()}</Typography>
              <FormControlLabel
                control={
                  <Checkbox
                    checked={confirmed}
                    onChange={(event) => setConfirmed(event.target.checked)}
                    disabled={!value.total}
                  />
                }
                label="Renew every certificate listed as Renew"
              />
            </Stack>
            {value.total === 0 ? (
              <Typography variant="body2" color="text.secondary">
                Nothing is due for rotation.
              </Typography>
            ) : (
              <Table size="small" aria-label="Certificates due">
                <TableHead>
                  <TableRow>
                    <TableCell>Certificate</TableCell>
                    <TableCell>Due</TableCell>
                    <TableCell>Expires</TableCell>
                    <TableCell>Trigger</TableCell>
                    <TableCell>Key policy</TableCell>
                    <TableCell>Action</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {value.items.map((item) => (
                    <TableRow key={item.certId}>
                      <TableCell>
                        <Link href={routeHref({ page: 'certificate', id: item.certId })}>
                          {item.subject}
                        </Link>
                      </TableCell>
                      <TableCell>{formatDateTime(item.dueAt)}</TableCell>
                      <TableCell>{formatDateTime(item.notAfter)}</TableCell>
                      <TableCell>{item.trigger}</TableCell>
                      <TableCell>{item.keyPolicy}</TableCell>
                      <TableCell title={item.note}>{ACTION_LABELS[item.action]}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
            {value.items.length < value.total && (
              <Alert severity="info" sx={{ mt: 1 }}>
                Showing the first {value.items.length} of {value.total}; a run renews them all.
              </Alert>
            )}
          </Paper>
        )}
        <WorkProgress
          active={rotate.pending}
          channel="rotation:run"
          label="Rotating the certificates that are due"
        />
        <ErrorAlert error={rotate.error} onClose={rotate.clearError} />
        {run && <RunResult run={run} />}
      </Stack>
    </>
  );
}
