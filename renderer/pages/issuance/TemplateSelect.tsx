// Picks an issuance template of the vault by name; with `optional`, "None" is a choice too.
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { call } from '../../client/client';
import { useLoad } from '../../hooks/useLoad';
import { routeHref } from '../../navigation/routes';
import { PROFILE_LABELS } from './templateText';

export function TemplateSelect(props: {
  value: string;
  onChange: (name: string) => void;
  disabled?: boolean;
  optional?: boolean;
  label?: string;
}) {
  const templates = useLoad(() => call('templates:list'), []);
  const list = templates.value?.templates ?? [];
  const known = list.some((template) => template.name === props.value);
  const empty = !templates.loading && !templates.error && list.length === 0;

  return (
    <TextField
      select
      label={props.label ?? 'Template'}
      value={known ? props.value : ''}
      onChange={(event) => props.onChange(event.target.value)}
      required={!props.optional}
      disabled={props.disabled || empty}
      error={Boolean(templates.error)}
      helperText={
        templates.error ??
        (empty ? (
          <>
            No templates in this vault yet:{' '}
            <Link href={routeHref({ page: 'templates' })}>create one</Link>.
          </>
        ) : (
          ' '
        ))
      }
    >
      {props.optional && (
        <MenuItem value="">
          <em>None</em>
        </MenuItem>
      )}
      {list.map((template) => (
        <MenuItem key={template.id} value={template.name}>
          {template.name} — {PROFILE_LABELS[template.profile]}
        </MenuItem>
      ))}
    </TextField>
  );
}
