// Before anything else: create a vault, or open and unlock one. Passphrases go straight into
// the call and are cleared from state as soon as it returns, whatever the outcome.
import LockOpenIcon from '@mui/icons-material/LockOpen';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import { call } from '../client/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { NewPassphraseFields, passphrasesMatch } from '../components/NewPassphraseFields';
import { MINIMUM_PASSPHRASE_LENGTH } from '../components/passphraseStrength';
import { PathField } from '../components/PathField';
import { WorkProgress } from '../components/WorkProgress';
import { useAction } from '../hooks/useAction';
import { useSession } from '../session/SessionContext';

function joinPath(directory: string, name: string): string {
  const separator = directory.includes('\\') && !directory.includes('/') ? '\\' : '/';
  return directory.endsWith(separator) ? `${directory}${name}` : `${directory}${separator}${name}`;
}

function CreateVaultForm({ defaultDirectory }: { defaultDirectory: string }) {
  const { setVault } = useSession();
  const [path, setPath] = useState(() => joinPath(defaultDirectory, 'mazevault.vault'));
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');

  const create = useAction(async () => {
    try {
      setVault(await call('vault:create', { path: path.trim(), passphrase }));
    } finally {
      setPassphrase('');
      setConfirmation('');
    }
  });

  const ready =
    path.trim().length > 0 &&
    [...passphrase].length >= MINIMUM_PASSPHRASE_LENGTH &&
    passphrasesMatch(passphrase, confirmation);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (ready) void create.run();
  };

  return (
    <Box component="form" onSubmit={submit} aria-label="Create a vault" noValidate>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        A vault is one encrypted file. A root CA vault usually lives on removable media kept in a
        safe.
      </Typography>
      <PathField
        label="Vault file"
        value={path}
        onChange={setPath}
        purpose="vault-create"
        suggestedName="mazevault.vault"
        disabled={create.pending}
        autoFocus
      />
      <NewPassphraseFields
        label="Passphrase"
        value={passphrase}
        confirmation={confirmation}
        onChange={setPassphrase}
        onConfirmationChange={setConfirmation}
        showStrength
        disabled={create.pending}
      />
      <ErrorAlert error={create.error} onClose={create.clearError} />
      <WorkProgress active={create.pending} channel="vault:create" label="Creating the vault" />
      <Button
        type="submit"
        variant="contained"
        size="large"
        disabled={!ready || create.pending}
        sx={{ mt: 1 }}
      >
        Create vault
      </Button>
    </Box>
  );
}

function OpenVaultForm({ lockedPath }: { lockedPath: string | null }) {
  const { setVault } = useSession();
  const [path, setPath] = useState(lockedPath ?? '');
  const [passphrase, setPassphrase] = useState('');

  const unlock = useAction(async () => {
    try {
      const target = path.trim();
      if (target !== lockedPath) await call('vault:open', { path: target });
      setVault(await call('vault:unlock', { passphrase }));
    } finally {
      setPassphrase('');
    }
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (path.trim() && passphrase) void unlock.run();
  };

  return (
    <Box component="form" onSubmit={submit} aria-label="Open and unlock a vault" noValidate>
      <PathField
        label="Vault file"
        value={path}
        onChange={setPath}
        purpose="vault-open"
        disabled={unlock.pending}
        autoFocus={!lockedPath}
      />
      <TextField
        label="Passphrase"
        type="password"
        autoComplete="current-password"
        value={passphrase}
        onChange={(event) => setPassphrase(event.target.value)}
        disabled={unlock.pending}
        autoFocus={Boolean(lockedPath)}
        required
      />
      <ErrorAlert error={unlock.error} onClose={unlock.clearError} />
      <WorkProgress active={unlock.pending} channel="vault:unlock" label="Unlocking the vault" />
      <Button
        type="submit"
        variant="contained"
        size="large"
        startIcon={<LockOpenIcon />}
        disabled={!path.trim() || !passphrase || unlock.pending}
        sx={{ mt: 1 }}
      >
        Unlock
      </Button>
    </Box>
  );
}

export function VaultGate() {
  const { status } = useSession();
  const locked = status?.vault.state === 'locked' ? status.vault.path : null;
  const [tab, setTab] = useState<'create' | 'open'>(locked ? 'open' : 'create');
  if (!status) return null;

  return (
    <Box sx={{ display: 'flex', justifyContent: 'center', pt: 6, px: 2 }}>
      <Paper sx={{ width: '100%', maxWidth: 620, p: 4 }}>
        <Typography variant="h1" sx={{ mb: 1 }}>
          {locked ? 'Unlock the vault' : 'Welcome to MazeVault'}
        </Typography>
        {locked && (
          <Alert severity="info" sx={{ mb: 2 }}>
            The vault is locked. Enter its passphrase to continue.
          </Alert>
        )}
        <Tabs
          value={tab}
          onChange={(_event, value: 'create' | 'open') => setTab(value)}
          sx={{ mb: 2 }}
        >
          <Tab value="create" label="Create vault" id="tab-create" aria-controls="panel-create" />
          <Tab value="open" label="Open vault" id="tab-open" aria-controls="panel-open" />
        </Tabs>
        <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
          {tab === 'create' ? (
            <CreateVaultForm defaultDirectory={status.defaultDirectory} />
          ) : (
            <OpenVaultForm lockedPath={locked} />
          )}
        </div>
      </Paper>
    </Box>
  );
}
