// A file path typed by the officer, with a Browse button that asks the main process to show the
// system's file dialog (the window itself has no file-system access).
import FolderOpenIcon from '@mui/icons-material/FolderOpen';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import type { Request } from '../../shared/contract';
import { call } from '../client/client';
import { useAction } from '../hooks/useAction';

type Purpose = Request<'dialog:choose-path'>['purpose'];

export interface PathFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  purpose: Purpose;
  suggestedName?: string;
  helperText?: string;
  disabled?: boolean;
  autoFocus?: boolean;
}

export function PathField(props: PathFieldProps) {
  const browse = useAction(async () => {
    const chosen = await call('dialog:choose-path', {
      purpose: props.purpose,
      ...(props.suggestedName ? { suggestedName: props.suggestedName } : {}),
    });
    if (chosen.path) props.onChange(chosen.path);
  });

  return (
    <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 1 }}>
      <TextField
        label={props.label}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        required
        disabled={props.disabled}
        autoFocus={props.autoFocus}
        error={Boolean(browse.error)}
        helperText={browse.error ?? props.helperText ?? ' '}
        slotProps={{ htmlInput: { spellCheck: false, style: { fontFamily: 'monospace' } } }}
      />
      <Button
        variant="outlined"
        startIcon={<FolderOpenIcon />}
        onClick={() => void browse.run()}
        disabled={props.disabled || browse.pending}
        sx={{ mt: 2, height: 56, flexShrink: 0 }}
      >
        Browse…
      </Button>
    </Box>
  );
}
