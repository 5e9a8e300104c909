// The bar over every page: which vault is open, whether it is unlocked, a Lock button, and a
// progress bar while the main process is doing long work.
import LockIcon from '@mui/icons-material/Lock';
import LockOpenIcon from '@mui/icons-material/LockOpen';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Toolbar from '@mui/material/Toolbar';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { call } from '../client/client';
import { useAction } from '../hooks/useAction';
import { useRunningOperations } from '../session/ProgressContext';
import { useSession } from '../session/SessionContext';

export function TopBar() {
  const { status, setVault } = useSession();
  const running = useRunningOperations();
  const vault = status?.vault;
  const lock = useAction(async () => setVault(await call('vault:lock')));
  const latest = running.at(-1);

  return (
    <AppBar position="fixed" elevation={0} sx={{ zIndex: (theme) => theme.zIndex.drawer + 1 }}>
      <Toolbar sx={{ gap: 2 }}>
        <Typography variant="h6" component="div" sx={{ fontWeight: 600, whiteSpace: 'nowrap' }}>
          MazeVault
        </Typography>
        <Box sx={{ flexGrow: 1, minWidth: 0 }}>
          {vault?.path && (
            <Tooltip title={vault.path}>
              <Typography
                variant="body2"
                noWrap
                aria-label="Vault path"
                sx={{ opacity: 0.9, fontFamily: 'monospace' }}
              >
                {vault.path}
              </Typography>
            </Tooltip>
          )}
        </Box>
        {vault?.testOnlyKdf && (
          <Chip size="small" color="warning" label="Test-only KDF" sx={{ fontWeight: 600 }} />
        )}
        {vault && vault.state !== 'none' && (
          <Chip
            role="status"
            aria-label={`Vault ${vault.state}`}
            icon={vault.state === 'unlocked' ? <LockOpenIcon /> : <LockIcon />}
            label={vault.state === 'unlocked' ? 'Unlocked' : 'Locked'}
            color={vault.state === 'unlocked' ? 'success' : 'default'}
            sx={{ bgcolor: vault.state === 'unlocked' ? undefined : 'grey.200' }}
          />
        )}
        {vault?.state === 'unlocked' && (
          <Button
            variant="contained"
            color="inherit"
            startIcon={<LockIcon />}
            onClick={() => void lock.run()}
            disabled={lock.pending}
            sx={{ color: 'primary.main', bgcolor: 'common.white' }}
          >
            Lock
          </Button>
        )}
      </Toolbar>
      {latest && (
        <Box aria-live="polite">
          <LinearProgress
            aria-label={latest.message}
            variant={latest.fraction === null ? 'indeterminate' : 'determinate'}
            value={latest.fraction === null ? undefined : latest.fraction * 100}
            color="secondary"
          />
        </Box>
      )}
    </AppBar>
  );
}
