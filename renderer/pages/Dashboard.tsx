// The dashboard: keys by state, certificates by status, the expiry timeline for the next 12
// months, rotations due, CRLs nearing nextUpdate and keys past their cryptoperiod. Every figure is
// counted by indexed SQL in the main process and links to the list it counts.
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Grid from '@mui/material/Grid';
import Link from '@mui/material/Link';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { BarChart } from '@mui/x-charts/BarChart';
import type { ReactNode } from 'react';
import type { LifecycleDashboard } from '../../shared/bridge/lifecycle-dto';
import { KEY_STATES, STATE_LABELS } from '../../shared/lifecycle';
import { call } from '../client/client';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { StateChip } from '../components/StateChip';
import { formatDateTime } from '../format/dates';
import { useLoad } from '../hooks/useLoad';
import { navigate } from '../navigation/useRoute';
import { routeHref, type Route } from '../navigation/routes';

/** The chart colours of the key states, matching the state chips' meaning. */
const STATE_COLOURS: Record<(typeof KEY_STATES)[number], string> = {
  'pre-active': '#90a4ae',
  active: '#2e7d32',
  suspended: '#ed6c02',
  deactivated: '#607d8b',
  compromised: '#d32f2f',
  destroyed: '#424242',
};

function Count(props: { label: string; value: number; route: Route; tone?: 'warning' | 'error' }) {
  const { label, value, route } = props;
  return (
    <Card sx={{ height: '100%' }}>
      <CardContent>
        <Typography variant="body2" color="text.secondary">
          {label}
        </Typography>
        <Link
          href={routeHref(route)}
          underline="hover"
          variant="h4"
          color={props.tone && value > 0 ? props.tone : 'primary'}
          aria-label={`${label}: ${value}`}
        >
          {value.toLocaleString()}
        </Link>
      </CardContent>
    </Card>
  );
}

function Section(props: { title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <Card component="section" aria-label={props.title} sx={{ height: '100%' }}>
      <CardContent>
        <Stack
          direction="row"
          sx={{ alignItems: 'baseline', justifyContent: 'space-between', mb: 1 }}
        >
          <Typography variant="h3">{props.title}</Typography>
          {props.action}
        </Stack>
        {props.children}
      </CardContent>
    </Card>
  );
}

function monthLabel(month: string): string {
  const [year, index] = month.split('-').map(Number);
  return new Date(Date.UTC(year!, index! - 1, 1)).toLocaleDateString(undefined, {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

function ExpiryTimeline({ timeline }: { timeline: LifecycleDashboard['expiryTimeline'] }) {
  const total = timeline.reduce((sum, month) => sum + month.count, 0);
  return (
    <Section
      title="Expiry timeline, next 12 months"
      action={<Typography variant="body2">{total.toLocaleString()} certificates</Typography>}
    >
      <BarChart
        height={260}
        xAxis={[
          {
            scaleType: 'band',
            data: timeline.map((month) => monthLabel(month.month)),
          },
        ]}
        // Counts are whole certificates: no 0.25 ticks on a quiet month.
        yAxis={[{ tickMinStep: 1, valueFormatter: (value: number) => value.toLocaleString() }]}
        series={[{ data: timeline.map((month) => month.count), label: 'Expiring', id: 'expiry' }]}
        hideLegend
        skipAnimation
        onItemClick={(_event, item) => {
          const month = timeline[item.dataIndex];
          if (month) navigate({ page: 'certificates', status: 'valid', month: month.month });
        }}
      />
      <Stack
        direction="row"
        spacing={2}
        useFlexGap
        sx={{ flexWrap: 'wrap' }}
        aria-label="Expiring by month"
      >
        {timeline
          .filter((month) => month.count > 0)
          .map((month) => (
            <Link
              key={month.month}
              href={routeHref({ page: 'certificates', status: 'valid', month: month.month })}
              variant="body2"
            >
              {monthLabel(month.month)}: {month.count.toLocaleString()}
            </Link>
          ))}
        {total === 0 && (
          <Typography variant="body2" color="text.secondary">
            No valid certificate expires in the next 12 months.
          </Typography>
        )}
      </Stack>
    </Section>
  );
}

function KeysByState({ keys }: { keys: LifecycleDashboard['keys'] }) {
  return (
    <Section title="Keys by state">
      <BarChart
        height={220}
        layout="horizontal"
        yAxis={[
          {
            scaleType: 'band',
            data: KEY_STATES.map((state) => STATE_LABELS[state]),
            width: 90,
            colorMap: {
              type: 'ordinal',
              values: KEY_STATES.map((state) => STATE_LABELS[state]),
              colors: KEY_STATES.map((state) => STATE_COLOURS[state]),
            },
          },
        ]}
        xAxis={[{ tickMinStep: 1, valueFormatter: (value: number) => value.toLocaleString() }]}
        series={[
          { data: KEY_STATES.map((state) => keys.byState[state]), label: 'Keys', id: 'keys' },
        ]}
        hideLegend
        skipAnimation
        onItemClick={(_event, item) => {
          const state = KEY_STATES[item.dataIndex];
          if (state) navigate({ page: 'keys', state });
        }}
      />
      <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap' }}>
        {KEY_STATES.map((state) => (
          <Link
            key={state}
            href={routeHref({ page: 'keys', state })}
            underline="none"
            aria-label={`${STATE_LABELS[state]}: ${keys.byState[state]} key${keys.byState[state] === 1 ? '' : 's'}`}
            sx={{ display: 'flex', alignItems: 'center', gap: 1 }}
          >
            <StateChip state={state} />
            <Typography component="span" variant="h3" color="text.primary">
              {keys.byState[state].toLocaleString()}
            </Typography>
          </Link>
        ))}
      </Stack>
    </Section>
  );
}

function CrlsNearNextUpdate({ crls }: { crls: LifecycleDashboard['crlsNearNextUpdate'] }) {
  return (
    <Section
      title="CRLs nearing nextUpdate"
      action={<Link href={routeHref({ page: 'crls' })}>CRLs</Link>}
    >
      {crls.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          No CRL reaches its nextUpdate within a day.
        </Typography>
      ) : (
        <List dense>
          {crls.slice(0, 8).map((crl) => (
            <ListItem key={crl.crlId} disableGutters>
              <ListItemText
                primary={
                  <Link href={routeHref({ page: 'crls', issuer: crl.issuerCertId })}>
                    {crl.issuerSubject} — {crl.delta ? 'delta ' : ''}CRL #{crl.crlNumber}
                  </Link>
                }
                secondary={`nextUpdate ${formatDateTime(crl.nextUpdate)}${crl.overdue ? ', overdue: issue a new CRL now' : ''}`}
              />
            </ListItem>
          ))}
        </List>
      )}
    </Section>
  );
}

export function Dashboard() {
  const loaded = useLoad(() => call('lifecycle:dashboard'), []);
  const value = loaded.value;

  return (
    <>
      <PageHeader
        title="Dashboard"
        subtitle="What needs attention in this vault's keys, certificates and CRLs."
      />
      <Loading loading={loaded.loading && !value} error={loaded.error} />
      {value && (
        <Stack spacing={3}>
          <Grid container spacing={2}>
            <Grid size={{ xs: 6, md: 2 }}>
              <Count label="Keys" value={value.keys.total} route={{ page: 'keys' }} />
            </Grid>
            <Grid size={{ xs: 6, md: 2 }}>
              <Count
                label="Certificates"
                value={value.certificates.total}
                route={{ page: 'certificates' }}
              />
            </Grid>
            <Grid size={{ xs: 6, md: 2 }}>
              <Count
                label="Valid"
                value={value.certificates.valid}
                route={{ page: 'certificates', status: 'valid' }}
              />
            </Grid>
            <Grid size={{ xs: 6, md: 2 }}>
              <Count
                label={`Expiring within ${value.certificates.expiringWithinDays} days`}
                value={value.certificates.expiringSoon}
                route={{ page: 'certificates', status: 'expiring' }}
                tone="warning"
              />
            </Grid>
            <Grid size={{ xs: 6, md: 2 }}>
              <Count
                label="Expired"
                value={value.certificates.expired}
                route={{ page: 'certificates', status: 'expired' }}
                tone="error"
              />
            </Grid>
            <Grid size={{ xs: 6, md: 2 }}>
              <Count
                label="Revoked"
                value={value.certificates.revoked}
                route={{ page: 'certificates', status: 'revoked' }}
              />
            </Grid>
          </Grid>

          <Grid container spacing={2}>
            <Grid size={{ xs: 12, md: 7 }}>
              <ExpiryTimeline timeline={value.expiryTimeline} />
            </Grid>
            <Grid size={{ xs: 12, md: 5 }}>
              <KeysByState keys={value.keys} />
            </Grid>
          </Grid>

          <Grid container spacing={2}>
            <Grid size={{ xs: 6, md: 3 }}>
              <Count
                label="Rotations due"
                value={value.rotationsDue}
                route={{ page: 'rotation' }}
                tone="warning"
              />
            </Grid>
            <Grid size={{ xs: 6, md: 3 }}>
              <Count
                label="Keys past their cryptoperiod"
                value={value.keys.pastCryptoperiod}
                route={{ page: 'keys', pastCryptoperiod: true }}
                tone="warning"
              />
            </Grid>
            <Grid size={{ xs: 12, md: 6 }}>
              <CrlsNearNextUpdate crls={value.crlsNearNextUpdate} />
            </Grid>
          </Grid>
        </Stack>
      )}
    </>
  );
}
