// Whether validation takes this certificate as a trust anchor, and the officer's explicit mark.
// Importing never grants trust; the vault's own CAs need no mark (revoke one to stop relying on it).
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { call } from '../../client/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';

export function TrustPanel({ certificateId }: { certificateId: string }) {
  const status = useLoad(() => call('certificates:trust', { id: certificateId }), [certificateId]);
  const [confirmed, setConfirmed] = useState(false);
  const change = useAction(async (trusted: boolean) => {
    await call('certificates:set-trust', { id: certificateId, trusted });
    setConfirmed(false);
    status.reload();
  });

  const value = status.value;
  return (
    <Paper component="section" aria-label="Trust for validation" sx={{ p: 2, mb: 3 }}>
      <Typography variant="h2" sx={{ mb: 1 }}>
        Trust for validation
      </Typography>
      {value && (
        <Stack spacing={1}>
          <Alert severity={value.trusted ? 'success' : 'info'}>
            {value.trusted ? 'A trust anchor: ' : 'Not a trust anchor: '}
            {value.reason}.
          </Alert>
          {!value.vaultCa && !value.trusted && (
            <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
              <FormControlLabel
                control={
                  <Checkbox
                    checked={confirmed}
                    onChange={(event) => setConfirmed(event.target.checked)}
                  />
                }
                label="I have checked this certificate's fingerprint with its owner"
              />
              <Button
                variant="outlined"
                disabled={!confirmed || change.pending}
                onClick={() => void change.run(true)}
              >
                Trust as anchor
              </Button>
            </Stack>
          )}
          {!value.vaultCa && value.trusted && (
            <Button
              variant="outlined"
              color="warning"
              sx={{ alignSelf: 'flex-start' }}
              disabled={change.pending}
              onClick={() => void change.run(false)}
            >
              Stop trusting
            </Button>
          )}
        </Stack>
      )}
      <ErrorAlert error={status.error ?? change.error} onClose={change.clearError} />
    </Paper>
  );
}
