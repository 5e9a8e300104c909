// Initialises a token: erases every object on it and sets its label, SO PIN and user PIN. Behind
// a dialog that names what is lost and a confirmation box the officer ticks themself.
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import TextField from '@mui/material/TextField';
import { useState, type FormEvent } from 'react';
import type { TokenDto } from '../../../shared/bridge/tokens-dto';
import { call } from '../../client/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { WorkProgress } from '../../components/WorkProgress';
import { useAction } from '../../hooks/useAction';

/** PKCS#11 CK_TOKEN_INFO.label is 32 bytes, padded. */
const LABEL_BYTES = 32;

export function InitTokenDialog(props: {
  profileId: string;
  /** The token to erase, or a blank slot (no serial yet) by id. */
  target: { token: TokenDto } | { slotId: string; description: string };
  onClose: () => void;
  onInitialised: (token: TokenDto) => void;
}) {
  const current = 'token' in props.target ? props.target.token : undefined;
  const [label, setLabel] = useState(current?.label ?? '');
  const [soPin, setSoPin] = useState('');
  const [userPin, setUserPin] = useState('');
  const [userPinAgain, setUserPinAgain] = useState('');
  const [confirmed, setConfirmed] = useState(false);

  const labelBytes = new TextEncoder().encode(label.trim()).length;
  const labelOk = labelBytes > 0 && labelBytes <= LABEL_BYTES;
  const pinsMatch = userPin === userPinAgain;
  const ready = labelOk && Boolean(soPin) && Boolean(userPin) && pinsMatch && confirmed;

  const initialise = useAction(async () => {
    const token = await call('tokens:initialize', {
      profileId: props.profileId,
      ...(current
        ? { tokenSerial: current.serial }
        : { slotId: (props.target as { slotId: string }).slotId }),
      label: label.trim(),
      soPin,
      userPin,
      confirmed,
    });
    setSoPin('');
    setUserPin('');
    setUserPinAgain('');
    props.onInitialised(token);
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (ready) void initialise.run();
  };

  const what = current
    ? `token ${current.label} (serial ${current.serial})`
    : `the token in slot ${'slotId' in props.target ? props.target.description : ''}`;

  return (
    <Dialog open onClose={props.onClose} fullWidth maxWidth="sm" aria-labelledby="init-token-title">
      <form onSubmit={submit} noValidate>
        <DialogTitle id="init-token-title">Initialise {what}</DialogTitle>
        <DialogContent>
          <Alert severity="error" sx={{ mb: 1 }}>
            Initialising erases every key and certificate on the token, for good. Keys in the
            inventory that live on it can no longer sign.
          </Alert>
          <TextField
            label="Token label"
            value={label}
            onChange={(event) => setLabel(event.target.value)}
            required
            error={label.length > 0 && !labelOk}
            helperText={`1 to ${LABEL_BYTES} bytes (${labelBytes} now).`}
            autoFocus
          />
          <TextField
            label="Security officer (SO) PIN"
            type="password"
            autoComplete="off"
            value={soPin}
            onChange={(event) => setSoPin(event.target.value)}
            required
            helperText="The token's current SO PIN; a new token takes the one you set here."
          />
          <TextField
            label="New user PIN"
            type="password"
            autoComplete="off"
            value={userPin}
            onChange={(event) => setUserPin(event.target.value)}
            required
          />
          <TextField
            label="Repeat new user PIN"
            type="password"
            autoComplete="off"
            value={userPinAgain}
            onChange={(event) => setUserPinAgain(event.target.value)}
            required
            error={userPinAgain.length > 0 && !pinsMatch}
            helperText={userPinAgain.length > 0 && !pinsMatch ? 'The PINs differ.' : ' '}
          />
          <FormControlLabel
            control={
              <Checkbox
                checked={confirmed}
                onChange={(event) => setConfirmed(event.target.checked)}
              />
            }
            label="I confirm that everything on this token is erased"
          />
          <ErrorAlert error={initialise.error} onClose={initialise.clearError} />
          <WorkProgress
            active={initialise.pending}
            channel="tokens:initialize"
            label="Initialising the token"
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onClose} disabled={initialise.pending}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="error"
            variant="contained"
            disabled={!ready || initialise.pending}
          >
            Initialise token
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
