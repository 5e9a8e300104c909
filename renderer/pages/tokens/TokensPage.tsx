// The Tokens page: PKCS#11 connection profiles, and for the chosen profile its module, slots and
// tokens. Each token shows its details, login, mechanisms and keys (see TokenPanel).
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { SlotDto, TokenProfile } from '../../../shared/bridge/tokens-dto';
import { call } from '../../client/client';
import { DetailTable } from '../../components/DetailTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';
import { InitTokenDialog } from './InitTokenDialog';
import { ProfileForm } from './ProfileForm';
import { TokenPanel } from './TokenPanel';

function EmptySlot({
  profileId,
  slot,
  onChanged,
}: {
  profileId: string;
  slot: SlotDto;
  onChanged: () => void;
}) {
  const [initialising, setInitialising] = useState(false);
  return (
    <Paper sx={{ p: 2, mb: 2 }} component="section" aria-label={`Slot ${slot.description}`}>
      <Typography>
        {slot.description}: {slot.tokenPresent ? 'a blank token, not initialised' : 'no token'}
      </Typography>
      {slot.tokenPresent && (
        <Button color="error" sx={{ mt: 1 }} onClick={() => setInitialising(true)}>
          Initialise token…
        </Button>
      )}
      {initialising && (
        <InitTokenDialog
          profileId={profileId}
          target={{ slotId: slot.slotId, description: slot.description }}
          onClose={() => setInitialising(false)}
          onInitialised={() => {
            setInitialising(false);
            onChanged();
          }}
        />
      )}
    </Paper>
  );
}

function ProfileSlots({ profile, pinHint }: { profile: TokenProfile; pinHint?: string }) {
  const slots = useLoad(() => call('tokens:slots', { profileId: profile.id }), [profile.id]);
  if (!slots.value) return <Loading loading={slots.loading} error={slots.error} />;
  const { module } = slots.value;
  const withTokens = slots.value.slots.filter((slot) => slot.token?.flags.tokenInitialized);
  const others = slots.value.slots.filter((slot) => !slot.token?.flags.tokenInitialized);
  return (
    <>
      <DetailTable
        label="Module"
        rows={[
          ['Module', `${module.manufacturer}: ${module.description}`],
          ['Path', module.path],
          ['Versions', `library ${module.libraryVersion}, Cryptoki ${module.cryptokiVersion}`],
        ]}
      />
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, my: 2 }}>
        <Typography variant="h2" sx={{ fontSize: '1.25rem', flexGrow: 1 }}>
          Tokens
        </Typography>
        <Button onClick={slots.reload}>Refresh</Button>
      </Box>
      <ErrorAlert error={slots.error} />
      {withTokens.length === 0 && <Alert severity="info">No initialised token is present.</Alert>}
      {withTokens.map((slot) => (
        <TokenPanel
          key={slot.token!.serial}
          profileId={profile.id}
          token={slot.token!}
          {...(pinHint ? { pinHint } : {})}
          onChanged={slots.reload}
        />
      ))}
      {others.map((slot) => (
        <EmptySlot key={slot.slotId} profileId={profile.id} slot={slot} onChanged={slots.reload} />
      ))}
    </>
  );
}

export function TokensPage() {
  const presets = useLoad(() => call('tokens:presets'), []);
  const profiles = useLoad(() => call('tokens:profiles'), []);
  const [chosenId, setChosenId] = useState<string>();
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState(false);

  const list = profiles.value?.profiles ?? [];
  const chosen = list.find((profile) => profile.id === chosenId) ?? list[0];
  const pinHint = presets.value?.presets.find((preset) => preset.id === chosen?.preset)?.pinHint;

  const remove = useAction(async (profileId: string) => {
    await call('tokens:delete-profile', { profileId });
    setDeleting(false);
    setChosenId(undefined);
    profiles.reload();
  });

  return (
    <>
      <PageHeader
        title="Tokens"
        subtitle="HSMs and smart cards over PKCS#11: connection profiles, tokens, mechanisms and keys."
        actions={
          <Button variant="contained" onClick={() => setAdding(true)} disabled={adding}>
            Add profile
          </Button>
        }
      />
      <Loading
        loading={profiles.loading || presets.loading}
        error={profiles.error ?? presets.error}
      />
      {adding && presets.value && (
        <Paper sx={{ p: 3, mb: 3, maxWidth: 860 }} component="section" aria-label="New profile">
          <Typography variant="h2" sx={{ fontSize: '1.25rem' }}>
            New connection profile
          </Typography>
          <ProfileForm
            presets={presets.value.presets}
            onSaved={(profile) => {
              setAdding(false);
              setChosenId(profile.id);
              profiles.reload();
            }}
            onCancel={() => setAdding(false)}
          />
        </Paper>
      )}
      {profiles.value && list.length === 0 && !adding && (
        <Alert severity="info">
          No connection profile yet. Add one with the PKCS#11 module of your HSM or smart card.
        </Alert>
      )}
      {chosen && (
        <Paper sx={{ p: 3, maxWidth: 1100 }}>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 2 }}>
            <TextField
              select
              label="Connection profile"
              value={chosen.id}
              onChange={(event) => setChosenId(event.target.value)}
              sx={{ maxWidth: 420 }}
            >
              {list.map((profile) => (
                <MenuItem key={profile.id} value={profile.id}>
                  {profile.name}
                </MenuItem>
              ))}
            </TextField>
            <Button color="error" onClick={() => setDeleting(true)} disabled={deleting}>
              Delete profile
            </Button>
          </Box>
          {deleting && (
            <Alert
              severity="warning"
              sx={{ mt: 1 }}
              action={
                <>
                  <Button
                    color="error"
                    onClick={() => void remove.run(chosen.id)}
                    disabled={remove.pending}
                  >
                    Delete
                  </Button>
                  <Button onClick={() => setDeleting(false)}>Keep</Button>
                </>
              }
            >
              Keys recorded on this profile&apos;s tokens cannot sign without it, and its remembered
              PINs are erased. The keys stay on the tokens.
            </Alert>
          )}
          <ErrorAlert error={remove.error} onClose={remove.clearError} />
          <ProfileSlots key={chosen.id} profile={chosen} {...(pinHint ? { pinHint } : {})} />
        </Paper>
      )}
    </>
  );
}
