// "HSM token" as a key store in the ceremony and issuance forms: a connection profile, a token on
// it (by serial, since labels change), the user PIN when the token is not logged in yet, and the
// key algorithms the token's mechanisms allow. Reports the choice once the token is ready.
import Alert from '@mui/material/Alert';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { useEffect, useState } from 'react';
import type { KeyAlgorithm } from '../../../shared/algorithms';
import { call } from '../../client/client';
import { Loading } from '../../components/Loading';
import { useLoad } from '../../hooks/useLoad';
import { routeHref } from '../../navigation/routes';
import { TokenLogin } from './TokenLogin';
import { pinWarnings } from './tokenText';

export interface TokenStoreChoice {
  profileId: string;
  profileName: string;
  tokenSerial: string;
  tokenLabel: string;
  /** The key algorithms the token can generate and sign with. */
  algorithms: KeyAlgorithm[];
}

export function TokenStorePicker(props: {
  onChange: (choice: TokenStoreChoice | undefined) => void;
  /** The earlier choice, when the officer comes back to this step. */
  initial?: { profileId: string; tokenSerial: string };
  disabled?: boolean;
}) {
  const { onChange } = props;
  const profiles = useLoad(() => call('tokens:profiles'), []);
  const [profileId, setProfileId] = useState(props.initial?.profileId ?? '');
  const [serial, setSerial] = useState(props.initial?.tokenSerial ?? '');

  const profileList = profiles.value?.profiles ?? [];
  const profile = profileList.find((p) => p.id === profileId) ?? profileList[0];

  const slots = useLoad(
    async () => (profile ? call('tokens:slots', { profileId: profile.id }) : undefined),
    [profile?.id],
  );
  const tokens = (slots.value?.slots ?? []).flatMap((slot) =>
    slot.token?.flags.tokenInitialized ? [slot.token] : [],
  );
  const token = tokens.find((t) => t.serial === serial) ?? tokens[0];

  const mechanisms = useLoad(
    async () =>
      profile && token
        ? call('tokens:mechanisms', { profileId: profile.id, tokenSerial: token.serial })
        : undefined,
    [profile?.id, token?.serial],
  );

  const ready = Boolean(profile && token?.loggedIn && mechanisms.value);
  const algorithms = mechanisms.value?.algorithms;
  // One string that changes whenever the reported choice would, so the effect runs only then.
  const choiceKey = ready ? `${profile!.id}|${token!.serial}|${algorithms!.join(',')}` : '';
  useEffect(() => {
    if (!choiceKey || !profile || !token || !algorithms) {
      onChange(undefined);
      return;
    }
    onChange({
      profileId: profile.id,
      profileName: profile.name,
      tokenSerial: token.serial,
      tokenLabel: token.label,
      algorithms,
    });
    // choiceKey lists everything the choice is made of, so the objects need not be dependencies.
  }, [choiceKey, onChange]);

  if (!profiles.value) return <Loading loading={profiles.loading} error={profiles.error} />;
  if (profileList.length === 0) {
    return (
      <Alert severity="info" sx={{ my: 1 }}>
        No PKCS#11 connection profile in this vault yet.{' '}
        <Link href={routeHref({ page: 'tokens' })}>Add one on the Tokens page</Link>.
      </Alert>
    );
  }

  return (
    <>
      <TextField
        select
        label="Connection profile"
        value={profile?.id ?? ''}
        onChange={(event) => {
          setProfileId(event.target.value);
          setSerial('');
        }}
        disabled={props.disabled}
      >
        {profileList.map((p) => (
          <MenuItem key={p.id} value={p.id}>
            {p.name}
          </MenuItem>
        ))}
      </TextField>
      <Loading loading={slots.loading && !slots.value} error={slots.error} />
      {slots.value && tokens.length === 0 && (
        <Alert severity="warning" sx={{ my: 1 }}>
          No initialised token is present on this profile; insert one, or initialise it on the
          Tokens page.
        </Alert>
      )}
      {token && (
        <TextField
          select
          label="Token"
          value={token.serial}
          onChange={(event) => setSerial(event.target.value)}
          disabled={props.disabled}
          helperText={token.loggedIn ? 'Logged in.' : 'Log in below with the user PIN.'}
        >
          {tokens.map((t) => (
            <MenuItem key={t.serial} value={t.serial}>
              {t.label} — serial {t.serial}
            </MenuItem>
          ))}
        </TextField>
      )}
      {token &&
        pinWarnings(token.flags).map((warning) => (
          <Alert key={warning} severity="warning" sx={{ my: 1 }}>
            {warning}
          </Alert>
        ))}
      {profile && token && !token.loggedIn && (
        <TokenLogin
          profileId={profile.id}
          token={token}
          onLoggedIn={slots.reload}
          onFailed={slots.reload}
        />
      )}
      <Loading loading={false} error={mechanisms.error} />
    </>
  );
}
