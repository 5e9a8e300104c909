// Every key in the vault with its NIST SP 800-57 state, filtered by state and by text.
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import TextField from '@mui/material/TextField';
import { DataGrid, type GridColDef } from '@mui/x-data-grid';
import { useState } from 'react';
import type { KeyDto } from '../../shared/contract';
import { KEY_STATES, STATE_LABELS, type KeyState } from '../../shared/lifecycle';
import { call } from '../client/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { StateChip } from '../components/StateChip';
import { formatDate } from '../format/dates';
import { colonHex } from '../format/fingerprint';
import { ALGORITHM_LABELS, PURPOSE_LABELS } from '../format/labels';
import { useLoad } from '../hooks/useLoad';
import { navigate } from '../navigation/useRoute';
import { routeHref } from '../navigation/routes';

const COLUMNS: GridColDef<KeyDto>[] = [
  {
    field: 'label',
    headerName: 'Label',
    flex: 1.4,
    renderCell: ({ row }) => <Link href={routeHref({ page: 'key', id: row.id })}>{row.label}</Link>,
  },
  {
    field: 'state',
    headerName: 'State',
    width: 130,
    renderCell: ({ row }) => <StateChip state={row.state} />,
  },
  {
    field: 'algorithm',
    headerName: 'Algorithm',
    width: 110,
    valueFormatter: (value: KeyDto['algorithm']) => ALGORITHM_LABELS[value],
  },
  {
    field: 'purpose',
    headerName: 'Purpose',
    width: 140,
    valueFormatter: (value: KeyDto['purpose']) => PURPOSE_LABELS[value],
  },
  { field: 'provider', headerName: 'Store', width: 100 },
  {
    field: 'createdAt',
    headerName: 'Created',
    width: 120,
    valueFormatter: (value: string) => formatDate(value),
  },
  {
    field: 'spkiSha256',
    headerName: 'SPKI SHA-256',
    flex: 1,
    sortable: false,
    valueFormatter: (value: string) => `${colonHex(value).slice(0, 23)}…`,
  },
];

function isKeyState(value: string | undefined): value is KeyState {
  return (KEY_STATES as readonly string[]).includes(value ?? '');
}

export function KeysList({ state }: { state?: string }) {
  const filterState = isKeyState(state) ? state : undefined;
  const [search, setSearch] = useState('');
  const keys = useLoad(
    () =>
      call('keys:list', {
        ...(filterState ? { state: filterState } : {}),
        ...(search.trim() ? { search: search.trim() } : {}),
      }),
    [filterState, search],
  );

  return (
    <>
      <PageHeader
        title="Keys"
        subtitle="Key states follow NIST SP 800-57; a key's state decides what it may do."
        actions={
          <Button variant="contained" href={routeHref({ page: 'generate-key' })}>
            Generate key
          </Button>
        }
      />
      <Box sx={{ display: 'flex', gap: 2, mb: 2 }}>
        <TextField
          select
          label="State"
          value={filterState ?? 'all'}
          onChange={(event) => {
            const value = event.target.value;
            navigate({ page: 'keys', state: value === 'all' ? undefined : value });
          }}
          sx={{ width: 220 }}
          margin="none"
        >
          <MenuItem value="all">All states</MenuItem>
          {KEY_STATES.map((option) => (
            <MenuItem key={option} value={option}>
              {STATE_LABELS[option]}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          label="Search labels"
          type="search"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          margin="none"
          sx={{ maxWidth: 360 }}
        />
      </Box>
      <ErrorAlert error={keys.error} />
      <Paper>
        <DataGrid
          aria-label="Keys"
          rows={keys.value?.keys ?? []}
          columns={COLUMNS}
          loading={keys.loading}
          autoHeight
          disableRowSelectionOnClick
          onRowDoubleClick={({ row }) => navigate({ page: 'key', id: row.id })}
          initialState={{ pagination: { paginationModel: { pageSize: 25 } } }}
          pageSizeOptions={[25, 50, 100]}
          localeText={{
            noRowsLabel: filterState ? `No ${STATE_LABELS[filterState]} keys.` : 'No keys yet.',
          }}
        />
      </Paper>
    </>
  );
}
