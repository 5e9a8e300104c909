// CRLs per issuing CA (RFC 5280 §5): the CA's CRL policy, issuing the next CRL with progress,
// exporting any issued CRL as PEM or DER, and the revoked certificates the CRLs list.
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { DataGrid, type GridColDef, type GridPaginationModel } from '@mui/x-data-grid';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { CertificateRow, CrlDto, CrlPolicyDto } from '../../../shared/bridge/lifecycle-dto';
import type { Request } from '../../../shared/contract';
import { REVOCATION_REASON_LABELS } from '../../../shared/revocation-reasons';
import { call } from '../../client/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { IssuerSelect } from '../../components/IssuerSelect';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { PathField } from '../../components/PathField';
import { WorkProgress } from '../../components/WorkProgress';
import { formatDateTime } from '../../format/dates';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';
import { navigate } from '../../navigation/useRoute';
import { routeHref } from '../../navigation/routes';

function Section(props: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <Paper component="section" aria-label={props.title} sx={{ p: 2 }}>
      <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between', mb: 1 }}>
        <Typography variant="h2">{props.title}</Typography>
        {props.actions}
      </Stack>
      {props.children}
    </Paper>
  );
}

function PolicyForm(props: { policy: CrlPolicyDto; onSaved: () => void }) {
  const { policy } = props;
  const [hours, setHours] = useState(String(policy.nextUpdateHours));
  const [deltaHours, setDeltaHours] = useState(
    policy.deltaNextUpdateHours === null ? '' : String(policy.deltaNextUpdateHours),
  );
  const [distributionPoint, setDistributionPoint] = useState(policy.distributionPoint ?? '');
  const [saved, setSaved] = useState(false);
  const wholeHours = (text: string) => /^[1-9]\d{0,3}$/.test(text.trim());
  const hoursInvalid = !wholeHours(hours);
  const deltaInvalid = deltaHours.trim() !== '' && !wholeHours(deltaHours);

  const save = useAction(async () => {
    setSaved(false);
    await call('crl:policy', {
      issuerId: policy.issuerId,
      update: {
        nextUpdateHours: Number(hours),
        deltaNextUpdateHours: deltaHours.trim() ? Number(deltaHours) : null,
        distributionPoint: distributionPoint.trim() || null,
      },
    });
    setSaved(true);
    props.onSaved();
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!hoursInvalid && !deltaInvalid) void save.run();
  };

  return (
    <form onSubmit={submit} noValidate aria-label="CRL policy">
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
        <TextField
          label="nextUpdate after (hours)"
          value={hours}
          onChange={(event) => setHours(event.target.value)}
          error={hoursInvalid}
          helperText={hoursInvalid ? 'Whole hours from 1 to 8784.' : 'For complete CRLs.'}
          required
        />
        <TextField
          label="Delta CRL nextUpdate (hours)"
          value={deltaHours}
          onChange={(event) => setDeltaHours(event.target.value)}
          error={deltaInvalid}
          helperText={deltaInvalid ? 'Whole hours from 1 to 8784.' : 'Empty: no delta CRLs.'}
        />
        <TextField
          label="Distribution point URI"
          value={distributionPoint}
          onChange={(event) => setDistributionPoint(event.target.value)}
          helperText="Put in certificates this CA issues from now on."
          sx={{ flexGrow: 1 }}
        />
      </Stack>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
        <Button
          type="submit"
          variant="outlined"
          disabled={save.pending || hoursInvalid || deltaInvalid}
        >
          Save policy
        </Button>
        <Typography variant="body2" color="text.secondary">
          Last CRL number: {policy.lastCrlNumber}
        </Typography>
        {saved && (
          <Typography variant="body2" role="status">
            Policy saved.
          </Typography>
        )}
      </Stack>
      <ErrorAlert error={save.error} onClose={save.clearError} />
    </form>
  );
}

function ExportDialog(props: { crl: CrlDto; caName: string; onClose: () => void }) {
  const { crl } = props;
  const [format, setFormat] = useState<'pem' | 'der'>('pem');
  const [destination, setDestination] = useState('');
  const [overwrite, setOverwrite] = useState(false);
  const [written, setWritten] = useState<string>();
  const base = `${props.caName.replace(/[^A-Za-z0-9.-]+/g, '-')}-crl-${crl.crlNumber}`;

  const exportCrl = useAction(async () => {
    const result = await call('crl:export', {
      crlId: crl.id,
      format,
      destination: destination.trim(),
      overwrite,
    });
    setWritten(result.destination);
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (destination.trim()) void exportCrl.run();
  };

  return (
    <Dialog open onClose={props.onClose} fullWidth maxWidth="sm" aria-labelledby="crl-export-title">
      <form onSubmit={submit} noValidate>
        <DialogTitle id="crl-export-title">Export CRL #{crl.crlNumber}</DialogTitle>
        <DialogContent>
          <RadioGroup
            aria-label="CRL format"
            row
            value={format}
            onChange={(event) => setFormat(event.target.value === 'der' ? 'der' : 'pem')}
          >
            <FormControlLabel value="pem" control={<Radio />} label="PEM (X509 CRL)" />
            <FormControlLabel value="der" control={<Radio />} label="DER" />
          </RadioGroup>
          <PathField
            label="Destination file"
            value={destination}
            onChange={setDestination}
            purpose="export"
            suggestedName={`${base}.${format === 'pem' ? 'pem' : 'crl'}`}
            disabled={exportCrl.pending}
          />
          <FormControlLabel
            control={
              <Checkbox
                checked={overwrite}
                onChange={(event) => setOverwrite(event.target.checked)}
              />
            }
            label="Replace the file if it exists"
          />
          {written && (
            <Alert severity="success" role="status">
              CRL written to {written}.
            </Alert>
          )}
          <ErrorAlert error={exportCrl.error} onClose={exportCrl.clearError} />
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onClose}>Close</Button>
          <Button
            type="submit"
            variant="contained"
            disabled={!destination.trim() || exportCrl.pending}
          >
            Export
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

const ENTRY_COLUMNS: GridColDef<CertificateRow>[] = [
  {
    field: 'displayName',
    headerName: 'Certificate',
    flex: 1,
    sortable: false,
    renderCell: ({ row }) => (
      <Link href={routeHref({ page: 'certificate', id: row.id })}>{row.displayName}</Link>
    ),
  },
  { field: 'serialNumber', headerName: 'Serial', width: 220, sortable: false },
  {
    field: 'revocationReason',
    headerName: 'Reason',
    width: 200,
    sortable: false,
    valueFormatter: (value: CertificateRow['revocationReason']) =>
      value ? REVOCATION_REASON_LABELS[value] : 'Unspecified',
  },
  {
    field: 'revokedAt',
    headerName: 'Revoked',
    width: 220,
    sortable: false,
    valueFormatter: (value: string | null) => (value ? formatDateTime(value) : ''),
  },
];

function RevokedEntries({ issuerId, generation }: { issuerId: string; generation: number }) {
  const [pagination, setPagination] = useState<GridPaginationModel>({ page: 0, pageSize: 25 });
  const request: Request<'lifecycle:certificates-page'> = {
    status: 'revoked',
    issuerId,
    page: pagination.page,
    pageSize: pagination.pageSize,
  };
  const entries = useLoad(
    () => call('lifecycle:certificates-page', request),
    [issuerId, pagination, generation],
  );
  return (
    <>
      <ErrorAlert error={entries.error} />
      <DataGrid
        aria-label="Revoked certificates"
        rows={entries.value?.rows ?? []}
        columns={ENTRY_COLUMNS}
        loading={entries.loading}
        autoHeight
        disableRowSelectionOnClick
        disableColumnFilter
        paginationMode="server"
        rowCount={entries.value?.total ?? 0}
        paginationModel={pagination}
        onPaginationModelChange={setPagination}
        pageSizeOptions={[25, 50, 100]}
        localeText={{ noRowsLabel: 'Nothing issued by this CA is revoked.' }}
      />
    </>
  );
}

function IssuerCrls({ issuerId }: { issuerId: string }) {
  const issuer = useLoad(() => call('certificates:get', { id: issuerId }), [issuerId]);
  const list = useLoad(() => call('crl:list', { issuerId }), [issuerId]);
  const [delta, setDelta] = useState(false);
  const [exporting, setExporting] = useState<CrlDto>();
  const [issued, setIssued] = useState<{ crl: CrlDto; warnings: string[] }>();
  const [generation, setGeneration] = useState(0);

  const issue = useAction(async () => {
    setIssued(undefined);
    const result = await call('crl:issue', { issuerId, delta });
    setIssued(result);
    list.reload();
    setGeneration((n) => n + 1);
  });

  if (!list.value || !issuer.value) {
    return <Loading loading={list.loading || issuer.loading} error={list.error ?? issuer.error} />;
  }
  const caName = issuer.value.displayName;

  return (
    <Stack spacing={3}>
      <Section title="CRL policy">
        <PolicyForm
          key={`${list.value.policy.issuerId}-${list.value.policy.lastCrlNumber}`}
          policy={list.value.policy}
          onSaved={list.reload}
        />
      </Section>

      <Section
        title="Issue"
        actions={
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
            <FormControlLabel
              control={
                <Checkbox checked={delta} onChange={(event) => setDelta(event.target.checked)} />
              }
              label="Delta CRL"
            />
            <Button variant="contained" onClick={() => void issue.run()} disabled={issue.pending}>
              Issue CRL now
            </Button>
          </Stack>
        }
      >
        <Typography variant="body2" color="text.secondary">
          Signs the next CRL of {caName} with its key, wherever that key lives. Large CRLs are built
          in chunks, so the window stays responsive.
        </Typography>
        <WorkProgress
          active={issue.pending}
          channel="crl:issue"
          label="Building and signing the CRL"
        />
        {issued && (
          <Alert severity="success" role="status" sx={{ mt: 2 }}>
            Issued {issued.crl.baseCrlNumber === null ? 'CRL' : 'delta CRL'} #{issued.crl.crlNumber}{' '}
            with {issued.crl.entries} entries; nextUpdate {formatDateTime(issued.crl.nextUpdate)}.
          </Alert>
        )}
        {issued?.warnings.map((warning) => (
          <Alert key={warning} severity="warning" sx={{ mt: 1 }}>
            {warning}
          </Alert>
        ))}
        <ErrorAlert error={issue.error} onClose={issue.clearError} />
      </Section>

      <Section title="Issued CRLs">
        {list.value.crls.length === 0 ? (
          <Typography variant="body2" color="text.secondary">
            No CRL issued yet.
          </Typography>
        ) : (
          <Table size="small" aria-label="Issued CRLs">
            <TableHead>
              <TableRow>
                <TableCell>Number</TableCell>
                <TableCell>Kind</TableCell>
                <TableCell>thisUpdate</TableCell>
                <TableCell>nextUpdate</TableCell>
                <TableCell>Entries</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {list.value.crls.map((crl) => (
                <TableRow key={crl.id}>
                  <TableCell component="th" scope="row">
                    #{crl.crlNumber}
                  </TableCell>
                  <TableCell>
                    {crl.baseCrlNumber === null ? 'Complete' : `Delta over #${crl.baseCrlNumber}`}
                  </TableCell>
                  <TableCell>{formatDateTime(crl.thisUpdate)}</TableCell>
                  <TableCell>{formatDateTime(crl.nextUpdate)}</TableCell>
                  <TableCell>{crl.entries.toLocaleString()}</TableCell>
                  <TableCell align="right">
                    <Button
                      size="small"
                      onClick={() => setExporting(crl)}
                      aria-label={`Export CRL #${crl.crlNumber}`}
                    >
                      Export
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Section>

      <Section title="Revoked certificates">
        <RevokedEntries issuerId={issuerId} generation={generation} />
      </Section>

      {exporting && (
        <ExportDialog crl={exporting} caName={caName} onClose={() => setExporting(undefined)} />
      )}
    </Stack>
  );
}

export function CrlsPage({ issuer }: { issuer?: string }) {
  const [chosen, setChosen] = useState(issuer ?? '');
  useEffect(() => {
    if (chosen && chosen !== issuer) navigate({ page: 'crls', issuer: chosen });
  }, [chosen, issuer]);

  return (
    <>
      <PageHeader
        title="CRLs"
        subtitle="Certificate revocation lists per issuing CA (RFC 5280 §5)."
      />
      <Box sx={{ maxWidth: 640, mb: 2 }}>
        <IssuerSelect value={chosen} onChange={setChosen} />
      </Box>
      {issuer ? <IssuerCrls key={issuer} issuerId={issuer} /> : null}
    </>
  );
}
