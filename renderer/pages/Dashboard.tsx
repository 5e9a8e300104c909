// The dashboard: keys by state, certificates close to expiry, and counts.
import { PageHeader } from '../components/PageHeader';

export function Dashboard() {
  return <PageHeader title="Dashboard" />;
}
