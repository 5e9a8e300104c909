// A progress bar for one page's long action: determinate when the main process reports how far
// the work is, indeterminate otherwise, with the message the contract gives for the channel.
import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import type { Channel } from '../../shared/contract';
import { useRunningOperations } from '../session/ProgressContext';

export function WorkProgress({
  active,
  channel,
  label,
}: {
  active: boolean;
  channel: Channel;
  label: string;
}) {
  const running = useRunningOperations()
    .filter((event) => event.channel === channel)
    .at(-1);
  if (!active) return null;
  const message = running?.message ?? label;
  const fraction = running?.fraction ?? null;
  return (
    <Box sx={{ my: 2 }} role="status" aria-live="polite">
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        {message}…
      </Typography>
      <LinearProgress
        aria-label={message}
        variant={fraction === null ? 'indeterminate' : 'determinate'}
        value={fraction === null ? undefined : fraction * 100}
      />
    </Box>
  );
}
