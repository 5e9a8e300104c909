// Rotation on a schedule while MazeVault is open and the vault unlocked: every N minutes, or off.
// Cron (`mazevault rotate --due`) covers the hours the app is closed.
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import {
  MAX_SCHEDULE_MINUTES,
  MIN_SCHEDULE_MINUTES,
} from '../../../shared/bridge/lifecycle-constants';
import type { Response } from '../../../shared/contract';
import { call } from '../../client/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../format/dates';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';

type Settings = Response<'rotation:schedule'>;

export function scheduleMinutesError(text: string): string | undefined {
  const minutes = Number(text.trim());
  if (!/^\d{1,5}$/.test(text.trim())) return 'Whole minutes';
  if (minutes < MIN_SCHEDULE_MINUTES || minutes > MAX_SCHEDULE_MINUTES) {
    return `From ${MIN_SCHEDULE_MINUTES} minutes to a week (${MAX_SCHEDULE_MINUTES})`;
  }
  return undefined;
}

function lastRunText(lastRun: Settings['lastRun']): string {
  if (!lastRun) return 'It has not run yet.';
  const when = formatDateTime(lastRun.at);
  if (lastRun.error) return `The last run, ${when}, failed: ${lastRun.error}`;
  return (
    `Last run ${when}: ${lastRun.rotated} rotated, ${lastRun.skipped} skipped, ` +
    `${lastRun.failed} failed.`
  );
}

export function RotationScheduleCard() {
  const settings = useLoad(() => call('rotation:schedule'), []);
  const [enabled, setEnabled] = useState<boolean>();
  const [minutes, setMinutes] = useState<string>();
  const [saved, setSaved] = useState<string>();

  const current = settings.value;
  const on = enabled ?? current?.everyMinutes !== null;
  const text = minutes ?? String(current?.everyMinutes ?? 60);
  const invalid = on ? scheduleMinutesError(text) : undefined;

  const save = useAction(async () => {
    setSaved(undefined);
    const result = await call('rotation:set-schedule', {
      everyMinutes: on ? Number(text.trim()) : null,
    });
    setSaved(
      result.everyMinutes === null
        ? 'Scheduled rotation is off.'
        : `Rotation runs every ${result.everyMinutes} minutes while MazeVault is open.`,
    );
    setEnabled(undefined);
    setMinutes(undefined);
    settings.reload();
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!invalid) void save.run();
  };

  return (
    <Paper component="section" aria-label="Scheduled rotation" sx={{ p: 2 }}>
      <Typography variant="h2" sx={{ mb: 1 }}>
        Scheduled rotation
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        While MazeVault is open and the vault unlocked, renew what is due on a timer. For the hours
        it is closed, run <code>mazevault rotate --due</code> from cron.
      </Typography>
      {current && (
        <Stack component="form" onSubmit={submit} direction="row" spacing={2} sx={{ mb: 1 }}>
          <FormControlLabel
            control={<Switch checked={on} onChange={(event) => setEnabled(event.target.checked)} />}
            label="Rotate on a schedule"
          />
          <TextField
            label="Every (minutes)"
            size="small"
            value={text}
            disabled={!on}
            onChange={(event) => setMinutes(event.target.value)}
            error={Boolean(invalid)}
            helperText={invalid ?? ' '}
          />
          <Button type="submit" variant="outlined" disabled={save.pending || Boolean(invalid)}>
            Save schedule
          </Button>
        </Stack>
      )}
      {current && <Typography variant="body2">{lastRunText(current.lastRun)}</Typography>}
      {saved && (
        <Alert severity="success" sx={{ mt: 1 }}>
          {saved}
        </Alert>
      )}
      <ErrorAlert error={settings.error ?? save.error} onClose={save.clearError} />
    </Paper>
  );
}
