// The window's look: a sober palette for long ceremonies, system fonts only (the CSP allows no
// remote fonts and we bundle none), and a focus ring that is always visible for keyboard users.
import { createTheme } from '@mui/material/styles';

const FOCUS_RING = '0 0 0 3px rgba(25, 118, 210, 0.45)';

export const theme = createTheme({
  palette: {
    mode: 'light',
    primary: { main: '#1f4e79' },
    secondary: { main: '#5b6b7a' },
    background: { default: '#f4f6f8', paper: '#ffffff' },
  },
  shape: { borderRadius: 6 },
  typography: {
    fontFamily:
      'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
    h1: { fontSize: '1.6rem', fontWeight: 600 },
    h2: { fontSize: '1.25rem', fontWeight: 600 },
    h3: { fontSize: '1.05rem', fontWeight: 600 },
  },
  components: {
    MuiButtonBase: {
      defaultProps: { disableRipple: false },
      styleOverrides: {
        root: { '&.Mui-focusVisible': { boxShadow: FOCUS_RING } },
      },
    },
    MuiListItemButton: {
      styleOverrides: {
        root: { '&.Mui-focusVisible': { outline: '2px solid #1976d2', outlineOffset: -2 } },
      },
    },
    MuiLink: {
      styleOverrides: {
        root: { '&:focus-visible': { outline: '2px solid #1976d2', outlineOffset: 2 } },
      },
    },
    MuiTextField: { defaultProps: { fullWidth: true, margin: 'normal' } },
    MuiPaper: { defaultProps: { variant: 'outlined' } },
  },
});

/** Monospace for fingerprints, serials and PEM, where every character matters. */
export const MONOSPACE = 'ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, monospace';
