// The window's Content Security Policy (CSP Level 3), sent as a header with every page of the app
// protocol. Nothing loads from outside the app: no remote script, no eval, no plugins, no frames,
// and no network. MUI's emotion inserts <style> elements at run time, hence 'unsafe-inline' for
// styles only; scripts stay 'self'.

export interface CspOptions {
  /** The e2e harness bridges IPC over fetch to its own origin; the app never needs it. */
  allowSameOriginFetch?: boolean;
}

export function contentSecurityPolicy(options: CspOptions = {}): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${options.allowSameOriginFetch ? "'self'" : "'none'"}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "worker-src 'none'",
  ].join('; ');
}

/** Headers every app page carries besides the CSP. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
};
