// A validity outside the profile's policy is refused unless the officer gives a reason, which the
// main process writes to the audit trail.
import Alert from '@mui/material/Alert';
import TextField from '@mui/material/TextField';

export function OverrideReason(props: {
  policy: string;
  outside: boolean;
  value: string;
  onChange: (value: string) => void;
  disabled?: boolean;
}) {
  if (!props.outside) return null;
  return (
    <>
      <Alert severity="warning" sx={{ mt: 2 }}>
        This validity is outside the policy ({props.policy}). Give a reason to override it; the
        reason is audited.
      </Alert>
      <TextField
        label="Reason for the policy override"
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        required
        disabled={props.disabled}
      />
    </>
  );
}
