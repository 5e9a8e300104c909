// A key's NIST SP 800-57 state as a coloured chip; colour follows how usable the key still is.
import Chip, { type ChipProps } from '@mui/material/Chip';
import { STATE_LABELS, type KeyState } from '../../shared/lifecycle';

const COLOURS: Record<KeyState, ChipProps['color']> = {
  'pre-active': 'info',
  active: 'success',
  suspended: 'warning',
  deactivated: 'default',
  compromised: 'error',
  destroyed: 'default',
};

export function StateChip({
  state,
  size = 'small',
}: {
  state: KeyState;
  size?: ChipProps['size'];
}) {
  return (
    <Chip
      size={size}
      label={STATE_LABELS[state]}
      color={COLOURS[state]}
      variant={state === 'destroyed' ? 'outlined' : 'filled'}
    />
  );
}
