// Every certificate in the vault, one page at a time: the main process filters, sorts and pages
// with indexed SQL, so the grid stays quick with 100,000 certificates. Status and kind come from
// the route (the dashboard links here); the grid's own filter covers subject and profile.
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
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
import { CERTIFICATE_LIST_STATUSES } from '../../shared/bridge/lifecycle-constants';
import type { CertificateRow } from '../../shared/bridge/lifecycle-dto';
import type { Request } from '../../shared/contract';
import { REVOCATION_REASON_LABELS } from '../../shared/revocation-reasons';
import { call } from '../client/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { ServerDataGrid } from '../components/ServerDataGrid';
import { PageHeader } from '../components/PageHeader';
import { formatDate } from '../format/dates';
import { useLoad } from '../hooks/useLoad';
import { navigate } from '../navigation/useRoute';
import { routeHref, type Route } from '../navigation/routes';

type CertificatesRoute = Extract<Route, { page: 'certificates' }>;
type PageRequest = Request<'lifecycle:certificates-page'>;
type Status = (typeof CERTIFICATE_LIST_STATUSES)[number];

const STATUS_LABELS: Record<Status, string> = {
  valid: 'Valid',
  expired: 'Expired',
  revoked: 'Revoked',
  expiring: 'Expiring within 30 days',
  due: 'Due for rotation',
};

const STATUS_COLOURS: Record<CertificateRow['status'], 'success' | 'error' | 'warning'> = {
  valid: 'success',
  expired: 'error',
  'not-yet-valid': 'warning',
  revoked: 'error',
};

/** Grid column → the server's sort field; other columns are not sortable. */
const SORT_FIELDS: Record<string, NonNullable<PageRequest>['sortBy']> = {
  displayName: 'subject',
  notBefore: 'notBefore',
  notAfter: 'notAfter',
};

const PROFILES = ['root-ca', 'sub-ca', 'tls-server', 'tls-client', 'cross-ca'];

const COLUMNS: GridColDef<CertificateRow>[] = [
  {
    field: 'displayName',
    headerName: 'Name',
    flex: 1.3,
    minWidth: 200,
    // RFC 4514 subjects start with the CN the vault writes first, so "starts with" is the index.
    filterOperators: getGridStringOperators().filter((op) => op.value === 'startsWith'),
    renderCell: ({ row }) => (
      <Link href={routeHref({ page: 'certificate', id: row.id })}>{row.displayName}</Link>
    ),
  },
  {
    field: 'kind',
    headerName: 'Kind',
    width: 130,
    sortable: false,
    filterable: false,
    valueGetter: (_value, row) =>
      row.isCa ? (row.issuerId === null ? 'Root CA' : 'Subordinate CA') : 'End entity',
  },
  {
    field: 'status',
    headerName: 'Status',
    width: 170,
    sortable: false,
    filterable: false,
    renderCell: ({ row }) => (
      <Chip
        size="small"
        label={
          row.status === 'revoked' && row.revocationReason
            ? `revoked: ${REVOCATION_REASON_LABELS[row.revocationReason]}`
            : row.status
        }
        color={STATUS_COLOURS[row.status]}
      />
    ),
  },
  {
    field: 'profile',
    headerName: 'Profile',
    width: 120,
    sortable: false,
    type: 'singleSelect',
    valueOptions: PROFILES,
    filterOperators: getGridSingleSelectOperators().filter((op) => op.value === 'is'),
  },
  {
    field: 'subject',
    headerName: 'Subject',
    flex: 1.3,
    sortable: false,
    filterOperators: getGridStringOperators().filter((op) => op.value === 'startsWith'),
  },
  { field: 'issuer', headerName: 'Issuer', flex: 1, sortable: false, filterable: false },
  {
    field: 'serialNumber',
    headerName: 'Serial',
    width: 180,
    sortable: false,
    filterable: false,
  },
  {
    field: 'notBefore',
    headerName: 'Valid from',
    width: 120,
    filterable: false,
    valueFormatter: (value: string) => formatDate(value),
  },
  {
    field: 'notAfter',
    headerName: 'Expires',
    width: 120,
    filterable: false,
    valueFormatter: (value: string) => formatDate(value),
  },
  {
    field: 'revokedAt',
    headerName: 'Revoked',
    width: 120,
    sortable: false,
    filterable: false,
    valueFormatter: (value: string | null) => (value ? formatDate(value) : ''),
  },
];

/** The month "YYYY-MM" as [first instant, first instant of the next month) in UTC. */
function monthRange(month: string): { expiresFrom: string; expiresBefore: string } | undefined {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) return undefined;
  const year = Number(match[1]);
  const index = Number(match[2]) - 1;
  return {
    expiresFrom: new Date(Date.UTC(year, index, 1)).toISOString(),
    expiresBefore: new Date(Date.UTC(year, index + 1, 1)).toISOString(),
  };
}

function isStatus(value: string | undefined): value is Status {
  return (CERTIFICATE_LIST_STATUSES as readonly string[]).includes(value ?? '');
}

export function CertificatesList({ route }: { route: CertificatesRoute }) {
  const status = isStatus(route.status) ? route.status : undefined;
  const [pagination, setPagination] = useState<GridPaginationModel>({ page: 0, pageSize: 25 });
  const [sort, setSort] = useState<GridSortModel>([{ field: 'notAfter', sort: 'asc' }]);
  const [filter, setFilter] = useState<GridFilterModel>({ items: [] });

  const request = useMemo((): PageRequest => {
    const sorted = sort[0];
    const query: NonNullable<PageRequest> = {
      page: pagination.page,
      pageSize: pagination.pageSize,
      sortBy: (sorted && SORT_FIELDS[sorted.field]) || 'notAfter',
      sortDirection: sorted?.sort === 'desc' ? 'desc' : 'asc',
    };
    if (status) query.status = status;
    if (route.kind === 'ca') query.isCa = true;
    if (route.kind === 'end-entity') query.isCa = false;
    if (route.issuer) query.issuerId = route.issuer;
    if (route.key) query.keyId = route.key;
    const month = route.month ? monthRange(route.month) : undefined;
    if (month) Object.assign(query, month, { status: status ?? 'valid' });
    if (route.expiringWithinDays && !month) {
      const now = Date.now();
      query.status = 'valid';
      query.expiresFrom = new Date(now).toISOString();
      query.expiresBefore = new Date(now + route.expiringWithinDays * 86_400_000).toISOString();
    }
    for (const item of filter.items) {
      const value = typeof item.value === 'string' ? item.value.trim() : '';
      if (!value) continue;
      // The vault writes subjects as RFC 4514 with the CN first, so a name is a subject prefix.
      if (item.field === 'displayName') query.subjectPrefix = `CN=${value}`;
      if (item.field === 'subject') query.subjectPrefix = value;
      if (item.field === 'profile') query.profile = value;
    }
    return query;
  }, [pagination, sort, filter, status, route]);

  const page = useLoad(() => call('lifecycle:certificates-page', request), [request]);
  // useLoad keeps the last page while the next loads, so the count holds steady for the pager.
  const rowCount = page.value?.total ?? 0;

  const go = (changes: Partial<CertificatesRoute>) => {
    setPagination((current) => ({ ...current, page: 0 }));
    navigate({ ...route, ...changes });
  };
  // The filters by id read better by name; the id stays when the name cannot be loaded.
  const issuerName = useLoad(
    async () =>
      route.issuer ? (await call('certificates:get', { id: route.issuer })).displayName : '',
    [route.issuer],
  ).value;
  const keyLabel = useLoad(
    async () => (route.key ? (await call('keys:get', { id: route.key })).label : ''),
    [route.key],
  ).value;
  const chips: { label: string; clear: Partial<CertificatesRoute> }[] = [];
  if (route.issuer) {
    chips.push({ label: `Issued by ${issuerName || route.issuer}`, clear: { issuer: undefined } });
  }
  if (route.key) {
    chips.push({ label: `Key ${keyLabel || route.key}`, clear: { key: undefined } });
  }
  if (route.month) chips.push({ label: `Expires in ${route.month}`, clear: { month: undefined } });
  if (route.expiringWithinDays) {
    chips.push({
      label: `Expires within ${route.expiringWithinDays} days`,
      clear: { expiringWithinDays: undefined },
    });
  }

  return (
    <>
      <PageHeader
        title="Certificates"
        subtitle="Filtered, sorted and paged in the vault; the grid shows one page at a time."
      />
      <Box sx={{ display: 'flex', gap: 2, mb: 2, alignItems: 'center', flexWrap: 'wrap' }}>
        <TextField
          select
          label="Status"
          value={status ?? 'all'}
          onChange={(event) =>
            go({ status: event.target.value === 'all' ? undefined : event.target.value })
          }
          margin="none"
          sx={{ width: 230 }}
        >
          <MenuItem value="all">Any status</MenuItem>
          {CERTIFICATE_LIST_STATUSES.map((option) => (
            <MenuItem key={option} value={option}>
              {STATUS_LABELS[option]}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          label="Kind"
          value={route.kind === 'ca' || route.kind === 'end-entity' ? route.kind : 'all'}
          onChange={(event) =>
            go({ kind: event.target.value === 'all' ? undefined : event.target.value })
          }
          margin="none"
          sx={{ width: 200 }}
        >
          <MenuItem value="all">All certificates</MenuItem>
          <MenuItem value="ca">CA certificates</MenuItem>
          <MenuItem value="end-entity">End-entity certificates</MenuItem>
        </TextField>
        {chips.map((chip) => (
          <Chip key={chip.label} label={chip.label} onDelete={() => go(chip.clear)} />
        ))}
      </Box>
      <ErrorAlert error={page.error} />
      <ServerDataGrid
        label="Certificates"
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
        initialState={{
          columns: {
            columnVisibilityModel: { subject: false, notBefore: false, revokedAt: false },
          },
        }}
        onOpen={(row) => navigate({ page: 'certificate', id: row.id })}
        noRowsLabel="No certificates match."
      />
    </>
  );
}
