// Picks the CA certificate that signs: every CA certificate in the vault that is still valid.
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { useEffect } from 'react';
import { call } from '../client/client';
import { formatDate } from '../format/dates';
import { useLoad } from '../hooks/useLoad';

export function IssuerSelect(props: {
  value: string;
  onChange: (id: string) => void;
  disabled?: boolean;
  autoFocus?: boolean;
}) {
  const issuers = useLoad(() => call('certificates:list', { caOnly: true }), []);
  const usable = (issuers.value?.certificates ?? []).filter(
    (certificate) => certificate.status === 'valid' && certificate.keyId !== null,
  );
  const { value, onChange } = props;

  // With a single CA there is nothing to choose: take it.
  useEffect(() => {
    const only = usable.length === 1 ? usable[0] : undefined;
    if (!value && only) onChange(only.id);
  }, [usable, value, onChange]);

  const helper = issuers.error
    ? issuers.error
    : issuers.loading
      ? 'Loading the CA certificates…'
      : usable.length === 0
        ? 'No valid CA certificate with a key in this vault: run a root CA ceremony first.'
        : ' ';

  return (
    <TextField
      select
      label="Issuing CA"
      value={usable.some((certificate) => certificate.id === value) ? value : ''}
      onChange={(event) => onChange(event.target.value)}
      required
      disabled={props.disabled || usable.length === 0}
      autoFocus={props.autoFocus}
      error={Boolean(issuers.error)}
      helperText={helper}
    >
      {usable.map((certificate) => (
        <MenuItem key={certificate.id} value={certificate.id}>
          {certificate.displayName} — {certificate.selfSigned ? 'root' : 'subordinate'}, until{' '}
          {formatDate(certificate.notAfter)}
        </MenuItem>
      ))}
    </TextField>
  );
}
