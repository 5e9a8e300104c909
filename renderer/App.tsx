// The window's frame: the vault gate until a vault is unlocked, then the navigation, the top bar
// and the page the URL hash names.
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Snackbar from '@mui/material/Snackbar';
import Toolbar from '@mui/material/Toolbar';
import { NavigationDrawer } from './components/NavigationDrawer';
import { TopBar } from './components/TopBar';
import { useRoute } from './navigation/useRoute';
import { Page } from './pages/Page';
import { VaultGate } from './pages/VaultGate';
import { ProgressProvider } from './session/ProgressContext';
import { SessionProvider, useSession } from './session/SessionContext';

function Frame() {
  const { status, error, lockNotice, dismissLockNotice } = useSession();
  const route = useRoute();
  const unlocked = status?.vault.state === 'unlocked';

  return (
    <Box sx={{ display: 'flex', minHeight: '100vh' }}>
      <TopBar />
      {unlocked && <NavigationDrawer current={route} />}
      <Box component="main" sx={{ flexGrow: 1, p: 3, minWidth: 0 }}>
        <Toolbar className="no-print" />
        {error && (
          <Alert severity="error" role="alert">
            {error}
          </Alert>
        )}
        {status && (unlocked ? <Page route={route} /> : <VaultGate key={status.vault.state} />)}
      </Box>
      <Snackbar open={Boolean(lockNotice)} onClose={dismissLockNotice} autoHideDuration={10_000}>
        <Alert severity="info" onClose={dismissLockNotice}>
          {lockNotice}
        </Alert>
      </Snackbar>
    </Box>
  );
}

export function App() {
  return (
    <SessionProvider>
      <ProgressProvider>
        <Frame />
      </ProgressProvider>
    </SessionProvider>
  );
}
