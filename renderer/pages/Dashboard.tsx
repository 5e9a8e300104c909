// The dashboard: keys by state, certificates close to expiry, and counts, each a link to the
// filtered list behind it.
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Grid from '@mui/material/Grid';
import Link from '@mui/material/Link';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { CertificateSummary } from '../../shared/contract';
import { KEY_STATES } from '../../shared/lifecycle';
import { call } from '../client/client';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { StateChip } from '../components/StateChip';
import { formatDate, formatDaysRemaining } from '../format/dates';
import { useLoad } from '../hooks/useLoad';
import { routeHref, type Route } from '../navigation/routes';

function Count({ label, value, route }: { label: string; value: number; route: Route }) {
  return (
    <Card>
      <CardContent>
        <Typography variant="body2" color="text.secondary">
          {label}
        </Typography>
        <Link
          href={routeHref(route)}
          underline="hover"
          variant="h4"
          aria-label={`${label}: ${value}`}
        >
          {value}
        </Link>
      </CardContent>
    </Card>
  );
}

function Expiring({
  title,
  days,
  certificates,
}: {
  title: string;
  days: number;
  certificates: CertificateSummary[];
}) {
  return (
    <Card component="section" aria-label={title} sx={{ height: '100%' }}>
      <CardContent>
        <Stack direction="row" sx={{ alignItems: 'baseline', justifyContent: 'space-between' }}>
          <Typography variant="h3">{title}</Typography>
          <Link href={routeHref({ page: 'certificates', expiringWithinDays: days })}>
            {certificates.length} certificate{certificates.length === 1 ? '' : 's'}
          </Link>
        </Stack>
        {certificates.length === 0 ? (
          <Typography variant="body2" color="text.secondary" sx={{ mt: 2 }}>
            Nothing expires within {days} days.
          </Typography>
        ) : (
          <List dense>
            {certificates.slice(0, 8).map((certificate) => (
              <ListItem key={certificate.id} disableGutters>
                <ListItemText
                  primary={
                    <Link href={routeHref({ page: 'certificate', id: certificate.id })}>
                      {certificate.displayName}
                    </Link>
                  }
                  secondary={`Expires ${formatDate(certificate.notAfter)} (${formatDaysRemaining(certificate.daysRemaining)})`}
                />
              </ListItem>
            ))}
          </List>
        )}
      </CardContent>
    </Card>
  );
}

export function Dashboard() {
  const summary = useLoad(() => call('dashboard:summary'), []);
  const value = summary.value;

  return (
    <>
      <PageHeader title="Dashboard" subtitle="The state of this vault's keys and certificates." />
      <Loading loading={summary.loading && !value} error={summary.error} />
      {value && (
        <Stack spacing={3}>
          <Grid container spacing={2}>
            <Grid size={{ xs: 6, md: 3 }}>
              <Count label="Keys" value={value.keys.total} route={{ page: 'keys' }} />
            </Grid>
            <Grid size={{ xs: 6, md: 3 }}>
              <Count
                label="Certificates"
                value={value.certificates.total}
                route={{ page: 'certificates' }}
              />
            </Grid>
            <Grid size={{ xs: 6, md: 3 }}>
              <Count
                label="CA certificates"
                value={value.certificates.ca}
                route={{ page: 'certificates', kind: 'ca' }}
              />
            </Grid>
            <Grid size={{ xs: 6, md: 3 }}>
              <Count label="Audit events" value={value.audit.events} route={{ page: 'audit' }} />
            </Grid>
          </Grid>

          <Card component="section" aria-label="Keys by state">
            <CardContent>
              <Typography variant="h3" sx={{ mb: 2 }}>
                Keys by state
              </Typography>
              <Stack direction="row" spacing={3} useFlexGap sx={{ flexWrap: 'wrap' }}>
                {KEY_STATES.map((state) => (
                  <Link
                    key={state}
                    href={routeHref({ page: 'keys', state })}
                    underline="none"
                    sx={{ display: 'flex', alignItems: 'center', gap: 1 }}
                  >
                    <StateChip state={state} />
                    <Typography component="span" variant="h3" color="text.primary">
                      {value.keys.byState[state]}
                    </Typography>
                  </Link>
                ))}
              </Stack>
            </CardContent>
          </Card>

          <Grid container spacing={2}>
            <Grid size={{ xs: 12, md: 6 }}>
              <Expiring
                title="Expiring within 30 days"
                days={30}
                certificates={value.certificates.expiringWithin30Days}
              />
            </Grid>
            <Grid size={{ xs: 12, md: 6 }}>
              <Expiring
                title="Expiring within 90 days"
                days={90}
                certificates={value.certificates.expiringWithin90Days}
              />
            </Grid>
          </Grid>
          {value.certificates.expired > 0 && (
            <Typography variant="body2" color="error">
              {value.certificates.expired} certificate
              {value.certificates.expired === 1 ? ' has' : 's have'} expired.
            </Typography>
          )}
        </Stack>
      )}
    </>
  );
}
