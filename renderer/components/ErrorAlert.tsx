// Shows the main process's sentence for a failure; announced to screen readers as an alert.
import Alert from '@mui/material/Alert';

export function ErrorAlert({
  error,
  onClose,
}: {
  error: string | undefined;
  onClose?: () => void;
}) {
  if (!error) return null;
  return (
    <Alert severity="error" role="alert" onClose={onClose} sx={{ my: 2 }}>
      {error}
    </Alert>
  );
}
