// The custom app protocol, app://mazevault/…, that serves the renderer instead of file://. A
// standard, secure scheme gives the window a real origin (so CSP 'self' and the sender check mean
// something) without granting file:// its access to every file on the disk.
import type { CustomScheme } from 'electron';
import { contentSecurityPolicy, SECURITY_HEADERS } from './csp';
import { readStaticFile } from './static-files';

export const APP_SCHEME = 'app';
export const APP_HOST = 'mazevault';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Registered before `ready`: standard (origin, relative URLs) and secure (like https). */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

/** Whether a URL is one of the app's own pages. */
export function isAppUrl(url: string): boolean {
  try {
    // WHATWG URL gives custom schemes an opaque origin ("null"), so compare scheme and host.
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/** The `protocol.handle` handler: files from the renderer folder, each with the CSP header. */
export function createAppProtocolHandler(
  rendererRoot: string,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || request.method !== 'GET') {
      return new Response('Not found', { status: 404 });
    }
    const file = await readStaticFile(rendererRoot, url.pathname);
    return new Response(new Uint8Array(file.body), {
      status: file.status,
      headers: {
        'Content-Type': file.contentType,
        'Content-Security-Policy': contentSecurityPolicy(),
        ...SECURITY_HEADERS,
      },
    });
  };
}
