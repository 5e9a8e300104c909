// Generates a key in the software store: algorithm, label, purpose, owner, cryptoperiod, and
// whether it starts Active or stays Pre-active (NIST SP 800-57 §5.3.5) until someone activates it.
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import type { KeyAlgorithm } from '../../../shared/algorithms';
import { KEY_PURPOSES, type KeyPurpose } from '../../../shared/cryptoperiods';
import { call } from '../../client/client';
import { AlgorithmSelect } from '../../components/AlgorithmSelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { WorkProgress } from '../../components/WorkProgress';
import { PROVIDER_LABELS, PURPOSE_LABELS } from '../../format/labels';
import { useAction } from '../../hooks/useAction';
import { navigate } from '../../navigation/useRoute';
import {
  cryptoperiodAdvice,
  cryptoperiodProblem,
  defaultCryptoperiodDays,
} from './cryptoperiodField';

type Activation = 'activate' | 'pre-active';

export function GenerateKey() {
  const [algorithm, setAlgorithm] = useState<KeyAlgorithm>('ec-p384');
  const [label, setLabel] = useState('');
  const [purpose, setPurpose] = useState<KeyPurpose>('general');
  const [owner, setOwner] = useState('');
  const [cryptoperiod, setCryptoperiod] = useState(() =>
    String(defaultCryptoperiodDays('general')),
  );
  // Until the officer types a cryptoperiod, it follows the purpose's default.
  const [cryptoperiodEdited, setCryptoperiodEdited] = useState(false);
  const [activation, setActivation] = useState<Activation>('activate');

  const periodProblem = cryptoperiodProblem(cryptoperiod);
  const labelMissing = !label.trim();
  const ready = !labelMissing && !periodProblem;

  const generate = useAction(async () => {
    const key = await call('keys:generate', {
      algorithm,
      label: label.trim(),
      purpose,
      provider: 'software',
      ...(owner.trim() ? { owner: owner.trim() } : {}),
      activate: activation === 'activate',
      cryptoperiodDays: Number(cryptoperiod.trim()),
    });
    navigate({ page: 'key', id: key.id });
  });

  const changePurpose = (next: KeyPurpose) => {
    setPurpose(next);
    if (!cryptoperiodEdited) setCryptoperiod(String(defaultCryptoperiodDays(next)));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (ready) void generate.run();
  };

  return (
    <>
      <PageHeader
        title="Generate key"
        subtitle="A new key pair, made in the main process and sealed in the vault; only its public key is shown here."
      />
      <Paper sx={{ p: 3, maxWidth: 860 }}>
        <Box component="form" onSubmit={submit} noValidate aria-label="Generate a key">
          <AlgorithmSelect
            value={algorithm}
            onChange={setAlgorithm}
            disabled={generate.pending}
            autoFocus
          />
          <TextField
            label="Label"
            value={label}
            onChange={(event) => setLabel(event.target.value)}
            required
            helperText="A name officers recognise, e.g. “Payments signing key 2025”."
            disabled={generate.pending}
            slotProps={{ htmlInput: { maxLength: 200 } }}
          />
          <TextField
            select
            label="Purpose"
            value={purpose}
            onChange={(event) => changePurpose(event.target.value as KeyPurpose)}
            disabled={generate.pending}
          >
            {KEY_PURPOSES.map((option) => (
              <MenuItem key={option} value={option}>
                {PURPOSE_LABELS[option]}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            label="Owner"
            value={owner}
            onChange={(event) => setOwner(event.target.value)}
            helperText="The person or team accountable for the key; left empty, the officer signed in to this computer."
            disabled={generate.pending}
            slotProps={{ htmlInput: { maxLength: 200 } }}
          />
          <TextField
            label="Cryptoperiod (days)"
            value={cryptoperiod}
            onChange={(event) => {
              setCryptoperiod(event.target.value);
              setCryptoperiodEdited(true);
            }}
            required
            error={Boolean(periodProblem)}
            helperText={
              periodProblem ??
              `The time span during which the key may be used, counted from its activation. ${cryptoperiodAdvice(purpose)}`
            }
            disabled={generate.pending}
            slotProps={{ htmlInput: { inputMode: 'numeric' } }}
          />
          <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
            Store: {PROVIDER_LABELS.software}
          </Typography>
          <FormControl component="fieldset" sx={{ mt: 2 }} disabled={generate.pending}>
            <FormLabel component="legend">State after generation</FormLabel>
            <RadioGroup
              value={activation}
              onChange={(event) => setActivation(event.target.value as Activation)}
            >
              <FormControlLabel
                value="activate"
                control={<Radio />}
                label="Activate now: the key starts Active and may sign at once"
              />
              <FormControlLabel
                value="pre-active"
                control={<Radio />}
                label="Keep Pre-active: nothing but backup until someone activates it on the key page"
              />
            </RadioGroup>
          </FormControl>
          <ErrorAlert error={generate.error} onClose={generate.clearError} />
          <WorkProgress
            active={generate.pending}
            channel="keys:generate"
            label="Generating the key"
          />
          <Box>
            <Button
              type="submit"
              variant="contained"
              disabled={!ready || generate.pending}
              sx={{ mt: 2 }}
            >
              Generate key
            </Button>
          </Box>
        </Box>
      </Paper>
    </>
  );
}
