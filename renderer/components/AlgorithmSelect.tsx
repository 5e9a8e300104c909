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
  /** Only these can be chosen (e.g. what an HSM token supports); the others show greyed out. */
  offered?: readonly KeyAlgorithm[];
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
        <MenuItem
          key={algorithm}
          value={algorithm}
          disabled={props.offered !== undefined && !props.offered.includes(algorithm)}
        >
          {ALGORITHM_LABELS[algorithm]}
          {props.offered !== undefined && !props.offered.includes(algorithm)
            ? ' — not offered by the token'
            : NOTES[algorithm]
              ? ` — ${NOTES[algorithm]}`
              : ''}
        </MenuItem>
      ))}
    </TextField>
  );
}
