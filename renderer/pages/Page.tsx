// Picks the page for the current route.
import type { Route } from '../navigation/routes';
import { Dashboard } from './Dashboard';

export function Page({ route }: { route: Route }) {
  switch (route.page) {
    default:
      return <Dashboard />;
  }
}
