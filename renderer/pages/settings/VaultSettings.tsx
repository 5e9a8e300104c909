// The open vault's settings: its passphrase, the idle time after which it locks itself, locking it
// now, and the scrypt parameters that protect its data key (which can be raised, never lowered).
// Passphrases go straight into the call and are cleared from state when it returns.
import LockIcon from '@mui/icons-material/Lock';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent, type ReactNode } from 'react';
import type { VaultStatus } from '../../../shared/contract';
import { call, ClientError } from '../../client/client';
import { DetailTable } from '../../components/DetailTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { NewPassphraseFields, passphrasesMatch } from '../../components/NewPassphraseFields';
import { MINIMUM_PASSPHRASE_LENGTH } from '../../components/passphraseStrength';
import { PageHeader } from '../../components/PageHeader';
import { WorkProgress } from '../../components/WorkProgress';
import { useAction } from '../../hooks/useAction';
import { useSession } from '../../session/SessionContext';
import { MONOSPACE } from '../../theme';
import { autoLockProblem, describeAutoLock } from './autoLock';
import {
  describeKdf,
  formatMemory,
  isBelowMinimum,
  kdfMemoryBytes,
  powerOfTwo,
  strongerCostOptions,
} from './kdfCost';

/** Rethrows a wrong-passphrase refusal with a sentence that names the field to fix. */
async function withCurrentPassphraseHint<T>(work: Promise<T>, outcome: string): Promise<T> {
  try {
    return await work;
  } catch (failure) {
    if (failure instanceof ClientError && failure.code === 'WRONG_PASSPHRASE') {
      throw new ClientError(
        failure.code,
        `Wrong current passphrase: ${outcome}. Type the passphrase this vault was unlocked with.`,
      );
    }
    throw failure;
  }
}

function Section(props: { title: string; id: string; children: ReactNode }) {
  return (
    <Paper component="section" aria-labelledby={props.id} sx={{ p: 3, mb: 3, maxWidth: 860 }}>
      <Typography variant="h2" id={props.id} sx={{ mb: 1 }}>
        {props.title}
      </Typography>
      {props.children}
    </Paper>
  );
}

function ChangePassphrase({ onChanged }: { onChanged: (vault: VaultStatus) => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [done, setDone] = useState(false);

  const sameAsCurrent = next.length > 0 && next === current;
  const ready =
    current.length > 0 &&
    [...next].length >= MINIMUM_PASSPHRASE_LENGTH &&
    passphrasesMatch(next, confirmation) &&
    !sameAsCurrent;

  const change = useAction(async () => {
    setDone(false);
    try {
      const vault = await withCurrentPassphraseHint(
        call('vault:change-passphrase', { current, next }),
        'the passphrase was not changed',
      );
      onChanged(vault);
      setNext('');
      setConfirmation('');
      setDone(true);
    } finally {
      setCurrent('');
    }
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (ready) void change.run();
  };

  return (
    <Box component="form" onSubmit={submit} noValidate aria-label="Change passphrase">
      <Typography variant="body2" color="text.secondary">
        Only the wrapped data key is re-encrypted; keys and certificates stay as they are. The old
        passphrase stops working at once.
      </Typography>
      <TextField
        label="Current passphrase"
        type="password"
        autoComplete="current-password"
        value={current}
        onChange={(event) => {
          setCurrent(event.target.value);
          setDone(false);
        }}
        required
        disabled={change.pending}
      />
      <NewPassphraseFields
        label="New passphrase"
        value={next}
        confirmation={confirmation}
        onChange={(value) => {
          setNext(value);
          setDone(false);
        }}
        onConfirmationChange={setConfirmation}
        showStrength
        disabled={change.pending}
      />
      {sameAsCurrent && (
        <Alert severity="warning" sx={{ my: 1 }}>
          The new passphrase is the same as the current one; choose a different one.
        </Alert>
      )}
      <ErrorAlert error={change.error} onClose={change.clearError} />
      <WorkProgress
        active={change.pending}
        channel="vault:change-passphrase"
        label="Re-wrapping the data key under the new passphrase"
      />
      {done && (
        <Alert severity="success" role="status" sx={{ my: 2 }}>
          Passphrase changed. Unlock the vault with the new passphrase from now on.
        </Alert>
      )}
      <Button type="submit" variant="contained" disabled={!ready || change.pending} sx={{ mt: 1 }}>
        Change passphrase
      </Button>
    </Box>
  );
}

function AutoLock({
  vault,
  onSaved,
}: {
  vault: VaultStatus;
  onSaved: (vault: VaultStatus) => void;
}) {
  const [enabled, setEnabled] = useState(vault.autoLockMinutes !== null);
  const [minutes, setMinutes] = useState(String(vault.autoLockMinutes ?? 10));
  const [saved, setSaved] = useState<string>();

  const problem = enabled ? autoLockProblem(minutes) : undefined;
  const save = useAction(async () => {
    const status = await call('vault:set-auto-lock', {
      minutes: enabled ? Number(minutes.trim()) : null,
    });
    onSaved(status);
    setSaved(`Saved: ${describeAutoLock(status.autoLockMinutes)}.`);
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!problem) void save.run();
  };

  return (
    <Box component="form" onSubmit={submit} noValidate aria-label="Auto-lock">
      <Typography variant="body2" color="text.secondary">
        Now: {describeAutoLock(vault.autoLockMinutes)}. Locking drops the data key from memory; the
        setting is kept in the vault file.
      </Typography>
      <FormControlLabel
        control={
          <Switch
            checked={enabled}
            onChange={(event) => {
              setEnabled(event.target.checked);
              setSaved(undefined);
            }}
            disabled={save.pending}
          />
        }
        label="Lock automatically when idle"
        sx={{ mt: 1 }}
      />
      <TextField
        label="Idle time before locking (minutes)"
        value={enabled ? minutes : ''}
        onChange={(event) => {
          setMinutes(event.target.value);
          setSaved(undefined);
        }}
        disabled={!enabled || save.pending}
        error={Boolean(problem)}
        helperText={
          problem ??
          (enabled
            ? 'From 1 to 1440 minutes (24 hours).'
            : 'Off: only the Lock button or closing the window locks the vault.')
        }
        slotProps={{ htmlInput: { inputMode: 'numeric' } }}
        sx={{ maxWidth: 360 }}
      />
      <ErrorAlert error={save.error} onClose={save.clearError} />
      {saved && (
        <Alert severity="success" role="status" sx={{ my: 2 }}>
          {saved}
        </Alert>
      )}
      <Box>
        <Button type="submit" variant="contained" disabled={Boolean(problem) || save.pending}>
          Save auto-lock
        </Button>
      </Box>
    </Box>
  );
}

function KdfCost({
  vault,
  onRaised,
}: {
  vault: VaultStatus;
  onRaised: (vault: VaultStatus) => void;
}) {
  const kdf = vault.kdf;
  const options = kdf ? strongerCostOptions(kdf) : [];
  const [target, setTarget] = useState(() => String(options[0] ?? ''));
  const [passphrase, setPassphrase] = useState('');
  const [raised, setRaised] = useState<string>();

  const raise = useAction(async () => {
    if (!kdf) return;
    try {
      const status = await withCurrentPassphraseHint(
        call('vault:raise-kdf-cost', { passphrase, N: Number(target), r: kdf.r, p: kdf.p }),
        'the KDF cost was not changed',
      );
      onRaised(status);
      if (status.kdf) setRaised(`Raised to ${describeKdf(status.kdf)}.`);
    } finally {
      setPassphrase('');
    }
  });

  if (!kdf) return null;
  const chosen = options.includes(Number(target)) ? Number(target) : options[0];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen && passphrase) void raise.run();
  };

  return (
    <>
      <DetailTable
        label="Key derivation"
        rows={[
          ['Function', 'scrypt (memory-hard), RFC 7914'],
          ['Parameters', <Box sx={{ fontFamily: MONOSPACE }}>{describeKdf(kdf)}</Box>],
          ['Memory per unlock', formatMemory(kdfMemoryBytes(kdf))],
        ]}
      />
      {vault.testOnlyKdf && (
        <Alert severity="warning" sx={{ mt: 2 }}>
          This vault was made with cheap test-only KDF parameters. Do not keep real keys in it, or
          raise N to at least 2^17 below.
        </Alert>
      )}
      {!vault.testOnlyKdf && isBelowMinimum(kdf) && (
        <Alert severity="warning" sx={{ mt: 2 }}>
          These parameters are below scrypt N=2^17, r=8, p=1; raise them below.
        </Alert>
      )}
      {raised && (
        <Alert severity="success" role="status" sx={{ mt: 2 }}>
          {raised}
        </Alert>
      )}
      {options.length === 0 ? (
        <Typography variant="body2" color="text.secondary" sx={{ mt: 2 }}>
          The cost is already at the highest this window offers.
        </Typography>
      ) : (
        <Box component="form" onSubmit={submit} noValidate aria-label="Raise the KDF cost">
          <TextField
            select
            label="New cost (N)"
            value={String(chosen)}
            onChange={(event) => setTarget(event.target.value)}
            disabled={raise.pending}
            helperText="Each step doubles the time and memory one unlock takes; it cannot be lowered again."
            sx={{ maxWidth: 480 }}
          >
            {options.map((n) => (
              <MenuItem key={n} value={String(n)}>
                N={powerOfTwo(n)} — {formatMemory(kdfMemoryBytes({ ...kdf, N: n }))} per unlock
              </MenuItem>
            ))}
          </TextField>
          <TextField
            label="Passphrase to confirm"
            type="password"
            autoComplete="current-password"
            value={passphrase}
            onChange={(event) => setPassphrase(event.target.value)}
            disabled={raise.pending}
            required
            sx={{ maxWidth: 480 }}
          />
          <ErrorAlert error={raise.error} onClose={raise.clearError} />
          <WorkProgress
            active={raise.pending}
            channel="vault:raise-kdf-cost"
            label="Re-wrapping the data key under the stronger KDF parameters"
          />
          <Box>
            <Button
              type="submit"
              variant="outlined"
              disabled={!chosen || !passphrase || raise.pending}
              sx={{ mt: 1 }}
            >
              Raise KDF cost
            </Button>
          </Box>
        </Box>
      )}
    </>
  );
}

export function VaultSettings() {
  const { status, setVault } = useSession();
  const lock = useAction(async () => setVault(await call('vault:lock')));
  const vault = status?.vault;
  if (!vault || vault.state === 'none') return null;

  return (
    <>
      <PageHeader
        title="Vault settings"
        subtitle={
          <Box component="span" sx={{ fontFamily: MONOSPACE }}>
            {vault.path}
          </Box>
        }
      />
      <Section title="Change passphrase" id="settings-passphrase">
        <ChangePassphrase onChanged={setVault} />
      </Section>
      <Section title="Auto-lock" id="settings-auto-lock">
        <AutoLock vault={vault} onSaved={setVault} />
      </Section>
      <Section title="Lock now" id="settings-lock">
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          Drops the data key from memory. Every key operation then needs the passphrase again.
        </Typography>
        <ErrorAlert error={lock.error} onClose={lock.clearError} />
        <Button
          variant="contained"
          color="warning"
          startIcon={<LockIcon />}
          onClick={() => void lock.run()}
          disabled={lock.pending}
        >
          Lock vault now
        </Button>
      </Section>
      <Section title="Key derivation" id="settings-kdf">
        <KdfCost vault={vault} onRaised={setVault} />
      </Section>
    </>
  );
}
