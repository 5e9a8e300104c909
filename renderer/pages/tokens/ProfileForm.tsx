// Adds a PKCS#11 connection profile: a preset fills in the usual module path and tells the quirks
// of that HSM; the module is checked in the main process (exists, is a PKCS#11 library, loads)
// before the profile is saved, and a failure says which of the three went wrong.
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import type {
  ModuleInfoDto,
  TokenPreset,
  TokenPresetId,
  TokenProfile,
} from '../../../shared/bridge/tokens-dto';
import { call } from '../../client/client';
import { DetailTable } from '../../components/DetailTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { WorkProgress } from '../../components/WorkProgress';
import { useAction } from '../../hooks/useAction';

export function ProfileForm(props: {
  presets: TokenPreset[];
  onSaved: (profile: TokenProfile) => void;
  onCancel?: () => void;
}) {
  const first = props.presets.find((preset) => preset.suggestedPath) ?? props.presets[0];
  const [presetId, setPresetId] = useState<TokenPresetId>(first?.id ?? 'custom');
  const [name, setName] = useState('');
  const [modulePath, setModulePath] = useState(first?.suggestedPath ?? '');
  const [checked, setChecked] = useState<ModuleInfoDto>();
  const preset = props.presets.find((candidate) => candidate.id === presetId);

  const choosePreset = (id: TokenPresetId) => {
    setPresetId(id);
    const chosen = props.presets.find((candidate) => candidate.id === id);
    setModulePath(chosen?.suggestedPath ?? chosen?.paths[0] ?? '');
    setChecked(undefined);
  };

  const check = useAction(async () => {
    setChecked(undefined);
    setChecked(await call('tokens:check-module', { modulePath: modulePath.trim() }));
  });
  const save = useAction(async () => {
    const profile = await call('tokens:save-profile', {
      name: name.trim(),
      preset: presetId,
      modulePath: modulePath.trim(),
    });
    props.onSaved(profile);
  });
  const busy = check.pending || save.pending;
  const ready = Boolean(name.trim()) && !name.includes(':') && Boolean(modulePath.trim());

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (ready) void save.run();
  };

  return (
    <Box component="form" onSubmit={submit} noValidate aria-label="Add a connection profile">
      <TextField
        select
        label="Preset"
        value={presetId}
        onChange={(event) => choosePreset(event.target.value as TokenPresetId)}
        disabled={busy}
      >
        {props.presets.map((candidate) => (
          <MenuItem key={candidate.id} value={candidate.id}>
            {candidate.name}
          </MenuItem>
        ))}
      </TextField>
      {preset && preset.quirks.length > 0 && (
        <Alert severity="info" sx={{ my: 1 }}>
          <Typography variant="body2" component="div">
            <Box component="ul" sx={{ m: 0, pl: 2 }}>
              {preset.quirks.map((quirk) => (
                <li key={quirk}>{quirk}</li>
              ))}
            </Box>
          </Typography>
        </Alert>
      )}
      <TextField
        label="Profile name"
        value={name}
        onChange={(event) => setName(event.target.value)}
        required
        error={name.includes(':')}
        helperText={
          name.includes(':')
            ? 'A profile name cannot contain ":" (the CLI writes pkcs11:PROFILE).'
            : 'Used on the command line as --store pkcs11:NAME.'
        }
        disabled={busy}
      />
      <TextField
        label="PKCS#11 module path"
        value={modulePath}
        onChange={(event) => {
          setModulePath(event.target.value);
          setChecked(undefined);
        }}
        required
        helperText={
          preset && preset.paths.length > 0
            ? `Usual places: ${preset.paths.join(', ')}`
            : "The full path of the vendor's PKCS#11 library."
        }
        disabled={busy}
      />
      <ErrorAlert
        error={check.error ?? save.error}
        onClose={() => {
          check.clearError();
          save.clearError();
        }}
      />
      {checked && (
        <Alert severity="success" sx={{ my: 1 }}>
          The module loads: {checked.manufacturer}, {checked.description}
        </Alert>
      )}
      {checked && (
        <DetailTable
          label="Module"
          rows={[
            ['Path', checked.path],
            ['Library version', checked.libraryVersion],
            ['Cryptoki version', checked.cryptokiVersion],
          ]}
        />
      )}
      <WorkProgress
        active={busy}
        channel={save.pending ? 'tokens:save-profile' : 'tokens:check-module'}
        label="Checking the PKCS#11 module"
      />
      <Box sx={{ display: 'flex', gap: 1, mt: 2 }}>
        <Button onClick={() => void check.run()} disabled={!modulePath.trim() || busy}>
          Check module
        </Button>
        <Button type="submit" variant="contained" disabled={!ready || busy}>
          Save profile
        </Button>
        {props.onCancel && (
          <Button onClick={props.onCancel} disabled={busy}>
            Cancel
          </Button>
        )}
      </Box>
    </Box>
  );
}
