// Chooses the files for import, inspect or validate: the system's open dialog, a typed path, or
// files dropped on the zone. The main process reads them; the window never touches the disk.
import FileUploadIcon from '@mui/icons-material/FileUpload';
import FolderOpenIcon from '@mui/icons-material/FolderOpen';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type DragEvent } from 'react';
import { call } from '../../client/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useAction } from '../../hooks/useAction';
import { fromDroppedFile, fromPath, type ChosenFile } from './files';

export interface FileChooserProps {
  purpose: 'import' | 'inspect' | 'validate';
  multiple: boolean;
  onChosen: (files: ChosenFile[]) => void;
  disabled?: boolean;
}

export function FileChooser(props: FileChooserProps) {
  const [typed, setTyped] = useState('');
  const [over, setOver] = useState(false);

  const browse = useAction(async () => {
    const { paths } = await call('dialog:choose-files', {
      purpose: props.purpose,
      multiple: props.multiple,
    });
    if (paths.length > 0) props.onChosen(paths.map(fromPath));
  });

  const drop = useAction(async (files: File[]) => {
    const chosen = await Promise.all(
      (props.multiple ? files : files.slice(0, 1)).map(fromDroppedFile),
    );
    if (chosen.length > 0) props.onChosen(chosen);
  });

  const addTyped = () => {
    if (!typed.trim()) return;
    props.onChosen([fromPath(typed)]);
    setTyped('');
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    void drop.run([...event.dataTransfer.files]);
  };

  return (
    <Box>
      <Box
        role="group"
        aria-label="Drop files here"
        onDragOver={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        sx={{
          border: 2,
          borderStyle: 'dashed',
          borderColor: over ? 'primary.main' : 'divider',
          borderRadius: 1,
          p: 3,
          textAlign: 'center',
          bgcolor: over ? 'action.hover' : 'transparent',
        }}
      >
        <FileUploadIcon color="action" />
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
          Drop {props.multiple ? 'files' : 'a file'} here, or
        </Typography>
        <Button
          variant="outlined"
          startIcon={<FolderOpenIcon />}
          onClick={() => void browse.run()}
          disabled={props.disabled || browse.pending}
        >
          {props.multiple ? 'Choose files…' : 'Choose file…'}
        </Button>
      </Box>
      <Box
        component="form"
        noValidate
        sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', mt: 2 }}
        onSubmit={(event) => {
          event.preventDefault();
          addTyped();
        }}
      >
        <TextField
          label="File path"
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          disabled={props.disabled}
          helperText="Or type the full path of a file."
          sx={{ flexGrow: 1 }}
          slotProps={{ htmlInput: { spellCheck: false, style: { fontFamily: 'monospace' } } }}
        />
        <Button
          type="submit"
          variant="outlined"
          disabled={props.disabled || !typed.trim()}
          sx={{ mt: 1, height: 40 }}
        >
          {props.multiple ? 'Add file' : 'Use file'}
        </Button>
      </Box>
      <ErrorAlert error={browse.error ?? drop.error} />
    </Box>
  );
}
