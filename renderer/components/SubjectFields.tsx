// The subject of a new certificate as separate fields, with the resulting name shown as it will
// be written.
import Grid from '@mui/material/Grid';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { distinguishedName, type SubjectFields as Fields } from '../format/distinguishedName';
import { MONOSPACE } from '../theme';

export function SubjectFields(props: {
  value: Fields;
  onChange: (value: Fields) => void;
  disabled?: boolean;
  /** Not required when a CSR supplies the subject. */
  optional?: boolean;
  autoFocus?: boolean;
}) {
  const set = (name: keyof Fields) => (event: { target: { value: string } }) =>
    props.onChange({ ...props.value, [name]: event.target.value });
  const dn = distinguishedName(props.value);

  return (
    <>
      <Grid container columnSpacing={2}>
        <Grid size={{ xs: 12, md: 6 }}>
          <TextField
            label="Common name (CN)"
            value={props.value.commonName}
            onChange={set('commonName')}
            required={!props.optional}
            disabled={props.disabled}
            autoFocus={props.autoFocus}
          />
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <TextField
            label="Organization (O)"
            value={props.value.organization}
            onChange={set('organization')}
            disabled={props.disabled}
          />
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <TextField
            label="Organizational unit (OU)"
            value={props.value.organizationalUnit}
            onChange={set('organizationalUnit')}
            disabled={props.disabled}
          />
        </Grid>
        <Grid size={{ xs: 8, md: 4 }}>
          <TextField
            label="Locality (L)"
            value={props.value.locality}
            onChange={set('locality')}
            disabled={props.disabled}
          />
        </Grid>
        <Grid size={{ xs: 4, md: 2 }}>
          <TextField
            label="Country (C)"
            value={props.value.country}
            onChange={set('country')}
            disabled={props.disabled}
            slotProps={{ htmlInput: { maxLength: 2 } }}
          />
        </Grid>
      </Grid>
      <Typography variant="body2" color="text.secondary" aria-live="polite">
        Subject: <code style={{ fontFamily: MONOSPACE }}>{dn || '—'}</code>
      </Typography>
    </>
  );
}
