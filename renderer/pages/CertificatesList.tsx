// Every certificate in the vault, filtered by kind, by text and by how soon it expires.
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import TextField from '@mui/material/TextField';
import { DataGrid, type GridColDef } from '@mui/x-data-grid';
import { useState } from 'react';
import type { CertificateSummary } from '../../shared/contract';
import { call } from '../client/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { formatDate, formatDaysRemaining } from '../format/dates';
import { useLoad } from '../hooks/useLoad';
import { navigate } from '../navigation/useRoute';
import { routeHref } from '../navigation/routes';

const STATUS_COLOURS: Record<CertificateSummary['status'], 'success' | 'error' | 'warning'> = {
  valid: 'success',
  expired: 'error',
  'not-yet-valid': 'warning',
  revoked: 'error',
};

const COLUMNS: GridColDef<CertificateSummary>[] = [
  {
    field: 'displayName',
    headerName: 'Name',
    flex: 1.3,
    renderCell: ({ row }) => (
      <Link href={routeHref({ page: 'certificate', id: row.id })}>{row.displayName}</Link>
    ),
  },
  {
    field: 'isCa',
    headerName: 'Kind',
    width: 130,
    valueGetter: (_value, row) =>
      row.isCa ? (row.selfSigned ? 'Root CA' : 'Subordinate CA') : 'End entity',
  },
  {
    field: 'status',
    headerName: 'Status',
    width: 130,
    renderCell: ({ row }) => (
      <Chip size="small" label={row.status} color={STATUS_COLOURS[row.status]} />
    ),
  },
  { field: 'issuer', headerName: 'Issuer', flex: 1 },
  {
    field: 'notAfter',
    headerName: 'Expires',
    width: 120,
    valueFormatter: (value: string) => formatDate(value),
  },
  {
    field: 'daysRemaining',
    headerName: 'Remaining',
    width: 130,
    valueFormatter: (value: number) => formatDaysRemaining(value),
  },
];

const EXPIRY_OPTIONS = [
  { value: 0, label: 'Any expiry' },
  { value: 30, label: 'Within 30 days' },
  { value: 90, label: 'Within 90 days' },
];

export function CertificatesList({
  expiringWithinDays,
  kind,
}: {
  expiringWithinDays?: number;
  kind?: string;
}) {
  const [search, setSearch] = useState('');
  const caOnly = kind === 'ca';
  const list = useLoad(
    () =>
      call('certificates:list', {
        ...(caOnly ? { caOnly } : {}),
        ...(search.trim() ? { search: search.trim() } : {}),
      }),
    [caOnly, search],
  );
  const rows = (list.value?.certificates ?? []).filter(
    (certificate) =>
      !expiringWithinDays ||
      (certificate.status === 'valid' && certificate.daysRemaining <= expiringWithinDays),
  );

  return (
    <>
      <PageHeader title="Certificates" />
      <Box sx={{ display: 'flex', gap: 2, mb: 2 }}>
        <TextField
          select
          label="Kind"
          value={caOnly ? 'ca' : 'all'}
          onChange={(event) =>
            navigate({
              page: 'certificates',
              expiringWithinDays,
              kind: event.target.value === 'ca' ? 'ca' : undefined,
            })
          }
          margin="none"
          sx={{ width: 200 }}
        >
          <MenuItem value="all">All certificates</MenuItem>
          <MenuItem value="ca">CA certificates</MenuItem>
        </TextField>
        <TextField
          select
          label="Expiry"
          value={expiringWithinDays ?? 0}
          onChange={(event) => {
            const days = Number(event.target.value);
            navigate({
              page: 'certificates',
              kind,
              expiringWithinDays: days > 0 ? days : undefined,
            });
          }}
          margin="none"
          sx={{ width: 200 }}
        >
          {EXPIRY_OPTIONS.map((option) => (
            <MenuItem key={option.value} value={option.value}>
              {option.label}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          label="Search subjects"
          type="search"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          margin="none"
          sx={{ maxWidth: 360 }}
        />
      </Box>
      <ErrorAlert error={list.error} />
      <Paper>
        <DataGrid
          aria-label="Certificates"
          rows={rows}
          columns={COLUMNS}
          loading={list.loading}
          autoHeight
          disableRowSelectionOnClick
          onRowDoubleClick={({ row }) => navigate({ page: 'certificate', id: row.id })}
          initialState={{ pagination: { paginationModel: { pageSize: 25 } } }}
          pageSizeOptions={[25, 50, 100]}
          localeText={{ noRowsLabel: 'No certificates match.' }}
        />
      </Paper>
    </>
  );
}
