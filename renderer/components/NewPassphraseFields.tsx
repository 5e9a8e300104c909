// A new passphrase or password entered twice, with a strength hint and a mismatch message.
import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { passphraseStrength } from './passphraseStrength';

const METER_COLOURS = ['error', 'error', 'warning', 'info', 'success'] as const;

export interface NewPassphraseProps {
  /** "Passphrase" for a vault, "Export password" for a file. */
  label: string;
  value: string;
  confirmation: string;
  onChange: (value: string) => void;
  onConfirmationChange: (value: string) => void;
  showStrength?: boolean;
  disabled?: boolean;
}

export function passphrasesMatch(value: string, confirmation: string): boolean {
  return value.length > 0 && value === confirmation;
}

export function NewPassphraseFields(props: NewPassphraseProps) {
  const strength = passphraseStrength(props.value);
  const mismatch = props.confirmation.length > 0 && props.confirmation !== props.value;
  const strengthId = `${props.label.replace(/\W+/g, '-').toLowerCase()}-strength`;

  return (
    <Box>
      <TextField
        label={props.label}
        type="password"
        autoComplete="new-password"
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        disabled={props.disabled}
        required
        slotProps={{
          htmlInput: { 'aria-describedby': props.showStrength ? strengthId : undefined },
        }}
      />
      {props.showStrength && (
        <Box id={strengthId} sx={{ mt: 0.5 }} aria-live="polite">
          <LinearProgress
            variant="determinate"
            value={(strength.score / 4) * 100}
            color={METER_COLOURS[strength.score]}
            aria-label={`Passphrase strength: ${strength.label}`}
            sx={{ height: 6, borderRadius: 3 }}
          />
          <Typography variant="caption" color="text.secondary">
            Strength: {strength.label}. {strength.advice}
          </Typography>
        </Box>
      )}
      <TextField
        label={`Repeat ${props.label.toLowerCase()}`}
        type="password"
        autoComplete="new-password"
        value={props.confirmation}
        onChange={(event) => props.onConfirmationChange(event.target.value)}
        disabled={props.disabled}
        required
        error={mismatch}
        helperText={mismatch ? `The two entries differ.` : ' '}
      />
    </Box>
  );
}
