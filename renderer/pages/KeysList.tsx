// Every key in the vault with its NIST SP 800-57 state, one page at a time: the main process
// filters, sorts and pages with indexed SQL. State and "past cryptoperiod" come from the route
// (the dashboard links here); the grid's own filter covers label, purpose and store.
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import FormControlLabel from '@mui/material/FormControlLabel';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import {
  getGridSingleSelectOperators,
  getGridStringOperators,
  type GridColDef,
  type GridFilterModel,
  type GridPaginationModel,
  type GridSortModel,
} from '@mui/x-data-grid';
import { useMemo, useState } from 'react';
import type { KeyRow } from '../../shared/bridge/lifecycle-dto';
import { KEY_PURPOSES } from '../../shared/cryptoperiods';
import type { Request } from '../../shared/contract';
import { KEY_STATES, STATE_LABELS, type KeyState } from '../../shared/lifecycle';
import { call } from '../client/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { ServerDataGrid } from '../components/ServerDataGrid';
import { PageHeader } from '../components/PageHeader';
import { StateChip } from '../components/StateChip';
import { formatDate } from '../format/dates';
import { ALGORITHM_LABELS, PROVIDER_LABELS, PURPOSE_LABELS } from '../format/labels';
import { useLoad } from '../hooks/useLoad';
import { navigate } from '../navigation/useRoute';
import { routeHref } from '../navigation/routes';

type PageRequest = NonNullable<Request<'lifecycle:keys-page'>>;

const SORT_FIELDS: Record<string, PageRequest['sortBy']> = {
  label: 'label',
  createdAt: 'createdAt',
  cryptoperiodEnds: 'cryptoperiodEnd',
};

const isOption = (item: string) => (op: { value: string }) => op.value === item;

const COLUMNS: GridColDef<KeyRow>[] = [
  {
    field: 'label',
    headerName: 'Label',
    flex: 1.4,
    minWidth: 220,
    filterOperators: getGridStringOperators().filter(isOption('startsWith')),
    renderCell: ({ row }) => <Link href={routeHref({ page: 'key', id: row.id })}>{row.label}</Link>,
  },
  {
    field: 'state',
    headerName: 'State',
    width: 130,
    sortable: false,
    filterable: false,
    renderCell: ({ row }) => <StateChip state={row.state} />,
  },
  {
    field: 'algorithm',
    headerName: 'Algorithm',
    width: 110,
    sortable: false,
    filterable: false,
    valueFormatter: (value: KeyRow['algorithm']) => ALGORITHM_LABELS[value],
  },
  {
    field: 'purpose',
    headerName: 'Purpose',
    width: 150,
    sortable: false,
    type: 'singleSelect',
    valueOptions: KEY_PURPOSES.map((value) => ({ value, label: PURPOSE_LABELS[value] })),
    filterOperators: getGridSingleSelectOperators().filter(isOption('is')),
  },
  {
    field: 'provider',
    headerName: 'Store',
    width: 130,
    sortable: false,
    type: 'singleSelect',
    valueOptions: Object.entries(PROVIDER_LABELS).map(([value, label]) => ({ value, label })),
    filterOperators: getGridSingleSelectOperators().filter(isOption('is')),
  },
  {
    field: 'createdAt',
    headerName: 'Created',
    width: 120,
    filterable: false,
    valueFormatter: (value: string) => formatDate(value),
  },
  {
    field: 'cryptoperiodEnds',
    headerName: 'Cryptoperiod ends',
    width: 170,
    filterable: false,
    renderCell: ({ row }) =>
      row.pastCryptoperiod ? (
        <Chip size="small" color="warning" label={`${formatDate(row.cryptoperiodEnds)} (past)`} />
      ) : (
        formatDate(row.cryptoperiodEnds)
      ),
  },
];

function isKeyState(value: string | undefined): value is KeyState {
  return (KEY_STATES as readonly string[]).includes(value ?? '');
}

export function KeysList({
  state,
  pastCryptoperiod,
}: {
  state?: string;
  pastCryptoperiod?: boolean;
}) {
  const filterState = isKeyState(state) ? state : undefined;
  const [pagination, setPagination] = useState<GridPaginationModel>({ page: 0, pageSize: 25 });
  const [sort, setSort] = useState<GridSortModel>([{ field: 'createdAt', sort: 'desc' }]);
  const [filter, setFilter] = useState<GridFilterModel>({ items: [] });

  const request = useMemo((): PageRequest => {
    const sorted = sort[0];
    const query: PageRequest = {
      page: pagination.page,
      pageSize: pagination.pageSize,
      sortBy: (sorted && SORT_FIELDS[sorted.field]) || 'createdAt',
      sortDirection: sorted?.sort === 'asc' ? 'asc' : 'desc',
    };
    if (filterState) query.state = filterState;
    if (pastCryptoperiod) query.pastCryptoperiod = true;
    for (const item of filter.items) {
      const value = typeof item.value === 'string' ? item.value.trim() : '';
      if (!value) continue;
      if (item.field === 'label') query.labelPrefix = value;
      if (item.field === 'purpose') query.purpose = value as PageRequest['purpose'];
      if (item.field === 'provider') query.provider = value as PageRequest['provider'];
    }
    return query;
  }, [pagination, sort, filter, filterState, pastCryptoperiod]);

  const page = useLoad(() => call('lifecycle:keys-page', request), [request]);
  // useLoad keeps the last page while the next loads, so the count holds steady for the pager.
  const rowCount = page.value?.total ?? 0;
  const go = (next: { state?: string; pastCryptoperiod?: boolean }) => {
    setPagination((current) => ({ ...current, page: 0 }));
    navigate({ page: 'keys', ...next });
  };

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
      <Box sx={{ display: 'flex', gap: 2, mb: 2, alignItems: 'center' }}>
        <TextField
          select
          label="State"
          value={filterState ?? 'all'}
          onChange={(event) => {
            const value = event.target.value;
            go({ state: value === 'all' ? undefined : value, pastCryptoperiod });
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
        <FormControlLabel
          control={
            <Switch
              checked={pastCryptoperiod === true}
              onChange={(event) =>
                go({ state: filterState, pastCryptoperiod: event.target.checked || undefined })
              }
            />
          }
          label="Only keys in use past their cryptoperiod"
        />
      </Box>
      <ErrorAlert error={page.error} />
      <ServerDataGrid
        label="Keys"
        rows={page.value?.rows ?? []}
        columns={COLUMNS}
        loading={page.loading}
        rowCount={rowCount}
        pagination={pagination}
        onPaginationChange={setPagination}
        sort={sort}
        onSortChange={setSort}
        filter={filter}
        onFilterChange={setFilter}
        onOpen={(row) => navigate({ page: 'key', id: row.id })}
        noRowsLabel={filterState ? `No ${STATE_LABELS[filterState]} keys.` : 'No keys match.'}
      />
    </>
  );
}
