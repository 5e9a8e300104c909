// Logs in to a token with its user PIN. The PIN goes to the main process in the request and is
// cleared from this form right after; it never comes back. A wrong PIN shows the token's answer,
// with its warning flags, and the caller reloads the token so the flags show beside it too.
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import TextField from '@mui/material/TextField';
import { useState, type KeyboardEvent } from 'react';
import type { TokenDto } from '../../../shared/bridge/tokens-dto';
import { call } from '../../client/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useAction } from '../../hooks/useAction';
import { tokenName } from './tokenText';

export function TokenLogin(props: {
  profileId: string;
  token: TokenDto;
  pinHint?: string;
  onLoggedIn: (token: TokenDto) => void;
  onFailed?: () => void;
}) {
  const [pin, setPin] = useState('');
  const [remember, setRemember] = useState(false);
  const { profileId, token } = props;

  const login = useAction(async () => {
    try {
      const result = await call('tokens:login', {
        profileId,
        tokenSerial: token.serial,
        pin,
        remember,
      });
      props.onLoggedIn(result);
    } catch (error) {
      props.onFailed?.();
      throw error;
    } finally {
      setPin('');
    }
  });

  // Not a form of its own: it also sits inside the ceremony's step form, and Enter here must log
  // in rather than submit the step.
  const enter = (event: KeyboardEvent) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    if (pin) void login.run();
  };

  return (
    <Box role="group" aria-label={`Log in to ${tokenName(token)}`}>
      <TextField
        label="User PIN"
        type="password"
        autoComplete="off"
        value={pin}
        onChange={(event) => setPin(event.target.value)}
        onKeyDown={enter}
        helperText={props.pinHint ?? 'The PIN stays in MazeVault until you log out or lock.'}
        disabled={login.pending || token.flags.userPinLocked}
      />
      <FormControlLabel
        control={
          <Checkbox checked={remember} onChange={(event) => setRemember(event.target.checked)} />
        }
        label="Remember the PIN in this vault (sealed)"
      />
      <ErrorAlert error={login.error} onClose={login.clearError} />
      <Box>
        <Button
          variant="contained"
          disabled={!pin || login.pending}
          onClick={() => void login.run()}
        >
          Log in
        </Button>
      </Box>
    </Box>
  );
}
