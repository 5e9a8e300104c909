// The audit trail, newest first, and a Verify button that walks the hash chain in the main process
// and names the first broken link.
import FactCheckIcon from '@mui/icons-material/FactCheck';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { DataGrid, type GridColDef, type GridPaginationModel } from '@mui/x-data-grid';
import { useState } from 'react';
import type { AuditEventDto, AuditVerificationDto } from '../../shared/contract';
import { call } from '../client/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { WorkProgress } from '../components/WorkProgress';
import { formatDateTime } from '../format/dates';
import { useAction } from '../hooks/useAction';
import { useLoad } from '../hooks/useLoad';

const OUTCOME_COLOURS = { success: 'success', failure: 'error', refused: 'warning' } as const;

function detailsText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}

const COLUMNS: GridColDef<AuditEventDto>[] = [
  { field: 'seq', headerName: '#', width: 80, type: 'number' },
  {
    field: 'time',
    headerName: 'Time',
    width: 210,
    valueFormatter: (value: string) => formatDateTime(value),
  },
  { field: 'actor', headerName: 'Actor', width: 120 },
  { field: 'action', headerName: 'Action', width: 190 },
  {
    field: 'outcome',
    headerName: 'Outcome',
    width: 110,
    renderCell: ({ row }) => (
      <Chip size="small" label={row.outcome} color={OUTCOME_COLOURS[row.outcome]} />
    ),
  },
  { field: 'subject', headerName: 'Subject', flex: 1, minWidth: 160 },
  {
    field: 'details',
    headerName: 'Details',
    flex: 1.5,
    sortable: false,
    valueGetter: (_value, row) => detailsText(row.details),
  },
];

function VerificationResult({ result }: { result: AuditVerificationDto }) {
  if (result.ok) {
    return (
      <Alert severity="success" role="status" sx={{ mb: 2 }}>
        The audit chain is intact: {result.events} events verified
        {result.macSkipped
          ? ' (MACs not checked: the vault is locked)'
          : `, ${result.macChecked} MACs checked`}
        .
      </Alert>
    );
  }
  return (
    <Alert severity="error" role="alert" sx={{ mb: 2 }}>
      The audit chain is broken
      {result.firstBroken
        ? ` at event #${result.firstBroken.seq}: ${result.firstBroken.reason}`
        : ''}
      . The events from there on cannot be trusted; keep the vault file as evidence.
    </Alert>
  );
}

export function AuditView() {
  const [page, setPage] = useState<GridPaginationModel>({ page: 0, pageSize: 50 });
  const events = useLoad(
    () => call('audit:list', { limit: page.pageSize, offset: page.page * page.pageSize }),
    [page.page, page.pageSize],
  );
  const [result, setResult] = useState<AuditVerificationDto>();
  const verify = useAction(async () => setResult(await call('audit:verify')));

  return (
    <>
      <PageHeader
        title="Audit trail"
        subtitle="Every event carries the hash of the one before it; an edited or deleted event breaks the chain."
        actions={
          <Button
            variant="contained"
            startIcon={<FactCheckIcon />}
            onClick={() => void verify.run()}
            disabled={verify.pending}
          >
            Verify
          </Button>
        }
      />
      <WorkProgress
        active={verify.pending}
        channel="audit:verify"
        label="Verifying the audit chain"
      />
      <ErrorAlert error={verify.error} onClose={verify.clearError} />
      {result && <VerificationResult result={result} />}
      <ErrorAlert error={events.error} />
      <Paper>
        <DataGrid
          aria-label="Audit events"
          rows={events.value?.events ?? []}
          getRowId={(row) => row.seq}
          columns={COLUMNS}
          loading={events.loading}
          autoHeight
          paginationMode="server"
          rowCount={events.value?.total ?? 0}
          paginationModel={page}
          onPaginationModelChange={setPage}
          pageSizeOptions={[25, 50, 100]}
          disableRowSelectionOnClick
          getRowClassName={({ row }) => (result?.firstBroken?.seq === row.seq ? 'broken' : '')}
          sx={{ '& .broken': { bgcolor: 'error.light' } }}
        />
      </Paper>
      <Typography variant="caption" color="text.secondary">
        Newest events first.
      </Typography>
    </>
  );
}
