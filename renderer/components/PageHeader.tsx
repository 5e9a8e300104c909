// The heading of a page and its actions on the right; the h1 is what screen readers land on.
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';

export function PageHeader(props: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 2, mb: 3 }} className="no-print">
      <Box sx={{ flexGrow: 1 }}>
        <Typography variant="h1">{props.title}</Typography>
        {props.subtitle && (
          <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
            {props.subtitle}
          </Typography>
        )}
      </Box>
      {props.actions && <Box sx={{ display: 'flex', gap: 1 }}>{props.actions}</Box>}
    </Box>
  );
}
