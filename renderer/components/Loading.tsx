// What a page shows while its data loads, or when loading failed.
import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import { ErrorAlert } from './ErrorAlert';

export function Loading({ loading, error }: { loading: boolean; error: string | undefined }) {
  if (error) return <ErrorAlert error={error} />;
  if (!loading) return null;
  return (
    <Box sx={{ display: 'flex', justifyContent: 'center', p: 4 }}>
      <CircularProgress aria-label="Loading" />
    </Box>
  );
}
