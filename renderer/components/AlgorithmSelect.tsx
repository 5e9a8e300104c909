// Picks a key algorithm from the shared list, with a word on what each suits.
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { KEY_ALGORITHMS, type KeyAlgorithm } from '../../shared/algorithms';
import { ALGORITHM_LABELS } from '../format/labels';

const NOTES: Partial<Record<KeyAlgorithm, string>> = {
  'rsa-2048': 'widest compatibility; 112-bit strength',
  'rsa-3072': '128-bit strength',
  'rsa-4096': 'slow to generate',
  'ec-p256': '128-bit strength',
  'ec-p384': '192-bit strength; a common root CA choice',
  ed25519: 'not accepted by every TLS client',
};

export function AlgorithmSelect(props: {
  value: KeyAlgorithm;
  onChange: (value: KeyAlgorithm) => void;
  disabled?: boolean;
  label?: string;
  autoFocus?: boolean;
}) {
  return (
    <TextField
      select
      label={props.label ?? 'Key algorithm'}
      value={props.value}
      onChange={(event) => props.onChange(event.target.value as KeyAlgorithm)}
      disabled={props.disabled}
      autoFocus={props.autoFocus}
    >
      {KEY_ALGORITHMS.map((algorithm) => (
        <MenuItem key={algorithm} value={algorithm}>
          {ALGORITHM_LABELS[algorithm]}
          {NOTES[algorithm] ? ` — ${NOTES[algorithm]}` : ''}
        </MenuItem>
      ))}
    </TextField>
  );
}
