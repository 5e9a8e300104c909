// Creates or edits an issuance template: profile, subject defaults, SANs, CRL distribution point,
// key algorithm and policy, validity, and which side wins when a CSR is signed with it.
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import Grid from '@mui/material/Grid';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import type { IssuanceTemplateDto, Precedence } from '../../../shared/bridge/issuance-dto';
import { call } from '../../client/client';
import { AlgorithmSelect } from '../../components/AlgorithmSelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useAction } from '../../hooks/useAction';
import {
  NEW_TEMPLATE,
  PRECEDENCE_LABELS,
  PROFILE_LABELS,
  saveRequest,
  templateProblem,
  type KeyPolicy,
  type TemplateFields,
  type TemplateProfile,
  type ValidityUnit,
} from './templateText';

function PrecedenceChoice(props: {
  id: string;
  label: string;
  value: Precedence;
  onChange: (value: Precedence) => void;
  disabled: boolean;
}) {
  return (
    <FormControl sx={{ mt: 1 }}>
      <FormLabel id={props.id}>{props.label}</FormLabel>
      <RadioGroup
        row
        aria-labelledby={props.id}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value as Precedence)}
      >
        {(['csr', 'template'] as const).map((side) => (
          <FormControlLabel
            key={side}
            value={side}
            control={<Radio />}
            label={PRECEDENCE_LABELS[side]}
            disabled={props.disabled}
          />
        ))}
      </RadioGroup>
    </FormControl>
  );
}

export function TemplateForm(props: {
  /** The template being edited; a new one when left out. */
  initial?: TemplateFields;
  onSaved: (template: IssuanceTemplateDto) => void;
  onCancel: () => void;
}) {
  const editing = props.initial !== undefined;
  const [fields, setFields] = useState<TemplateFields>(props.initial ?? NEW_TEMPLATE);
  const set =
    <K extends keyof TemplateFields>(name: K) =>
    (value: TemplateFields[K]) =>
      setFields((current) => ({ ...current, [name]: value }));
  const problem = templateProblem(fields);

  const save = useAction(async () => {
    props.onSaved(await call('templates:save', saveRequest(fields)));
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!problem) void save.run();
  };
  const title = editing ? `Edit template ${props.initial?.name ?? ''}` : 'New template';

  return (
    <Paper sx={{ p: 3, maxWidth: 860, mb: 3 }} component="section" aria-label={title}>
      <Typography variant="h2" sx={{ mb: 1 }}>
        {title}
      </Typography>
      <Box component="form" noValidate onSubmit={submit} aria-label={title}>
        <Grid container columnSpacing={2}>
          <Grid size={{ xs: 12, md: 6 }}>
            <TextField
              label="Template name"
              value={fields.name}
              onChange={(event) => set('name')(event.target.value)}
              required
              disabled={editing || save.pending}
              helperText={editing ? 'Saving replaces this template.' : ' '}
              autoFocus={!editing}
            />
          </Grid>
          <Grid size={{ xs: 12, md: 6 }}>
            <TextField
              select
              label="Profile"
              value={fields.profile}
              onChange={(event) => set('profile')(event.target.value as TemplateProfile)}
              disabled={save.pending}
            >
              {(Object.keys(PROFILE_LABELS) as TemplateProfile[]).map((profile) => (
                <MenuItem key={profile} value={profile}>
                  {PROFILE_LABELS[profile]}
                </MenuItem>
              ))}
            </TextField>
          </Grid>
        </Grid>
        <TextField
          label="Subject defaults"
          value={fields.subjectDefaults}
          onChange={(event) => set('subjectDefaults')(event.target.value)}
          helperText="RFC 4514 attributes added to every subject, e.g. OU=Devices,O=Acme,C=DE."
          disabled={save.pending}
          slotProps={{ htmlInput: { spellCheck: false } }}
        />
        <TextField
          label="Subject alternative names"
          value={fields.sans}
          onChange={(event) => set('sans')(event.target.value)}
          multiline
          minRows={2}
          helperText="Every certificate gets these. One per line: DNS:…, IP:…, email:…, URI:…"
          disabled={save.pending}
          slotProps={{ htmlInput: { spellCheck: false } }}
        />
        <TextField
          label="CRL distribution point"
          value={fields.crlDistributionPoint}
          onChange={(event) => set('crlDistributionPoint')(event.target.value)}
          helperText="A URL; left empty, the issuing CA's CRL policy decides."
          disabled={save.pending}
          slotProps={{ htmlInput: { spellCheck: false } }}
        />
        <Grid container columnSpacing={2}>
          <Grid size={{ xs: 12, md: 6 }}>
            <AlgorithmSelect
              value={fields.keyAlgorithm}
              onChange={set('keyAlgorithm')}
              disabled={save.pending}
            />
          </Grid>
          <Grid size={{ xs: 6, md: 3 }}>
            <TextField
              label="Validity"
              type="number"
              value={fields.validityAmount}
              onChange={(event) => set('validityAmount')(event.target.value)}
              required
              helperText="End-entity: 90 days to 1 year."
              disabled={save.pending}
            />
          </Grid>
          <Grid size={{ xs: 6, md: 3 }}>
            <TextField
              select
              label="Validity unit"
              value={fields.validityUnit}
              onChange={(event) => set('validityUnit')(event.target.value as ValidityUnit)}
              disabled={save.pending}
            >
              <MenuItem value="days">days</MenuItem>
              <MenuItem value="years">years</MenuItem>
            </TextField>
          </Grid>
        </Grid>
        <FormControl sx={{ mt: 1, display: 'block' }}>
          <FormLabel id="template-key-policy">Key policy on renewal</FormLabel>
          <RadioGroup
            row
            aria-labelledby="template-key-policy"
            value={fields.keyPolicy}
            onChange={(event) => set('keyPolicy')(event.target.value as KeyPolicy)}
          >
            <FormControlLabel
              value="regenerate"
              control={<Radio />}
              label="Regenerate (new key pair)"
              disabled={save.pending}
            />
            <FormControlLabel
              value="reuse"
              control={<Radio />}
              label="Reuse (same key)"
              disabled={save.pending}
            />
          </RadioGroup>
        </FormControl>
        <Typography variant="h3" sx={{ mt: 2 }}>
          When a CSR is signed with this template
        </Typography>
        <Stack direction={{ xs: 'column', md: 'row' }} spacing={4}>
          <PrecedenceChoice
            id="template-subject-from"
            label="Subject of a CSR"
            value={fields.subjectFrom}
            onChange={set('subjectFrom')}
            disabled={save.pending}
          />
          <PrecedenceChoice
            id="template-sans-from"
            label="SANs of a CSR"
            value={fields.sansFrom}
            onChange={set('sansFrom')}
            disabled={save.pending}
          />
        </Stack>
        <ErrorAlert error={save.error} onClose={save.clearError} />
        <Stack direction="row" spacing={1} sx={{ mt: 2, alignItems: 'center' }}>
          <Button type="submit" variant="contained" disabled={Boolean(problem) || save.pending}>
            Save template
          </Button>
          <Button onClick={props.onCancel} disabled={save.pending}>
            Cancel
          </Button>
          {problem && (
            <Typography variant="body2" color="text.secondary">
              {problem}
            </Typography>
          )}
        </Stack>
      </Box>
    </Paper>
  );
}
