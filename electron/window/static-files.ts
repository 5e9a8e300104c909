// Serving the built renderer (dist-renderer/) by URL path, shared by the app protocol and the
// e2e harness: one place decides which file a path means, so `..` and absolute paths can never
// reach outside the renderer's folder.
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, relative, sep, isAbsolute } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `root` that a URL path names, or undefined when the path would leave `root`.
 * `/` and paths without an extension are the single-page app's index.html.
 */
export function resolveStaticPath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const wanted = decoded === '/' || !extname(decoded) ? '/index.html' : decoded;
  const file = normalize(join(root, wanted));
  const inside = relative(root, file);
  if (
    !inside ||
    inside.startsWith('..') ||
    isAbsolute(inside) ||
    inside.split(sep).includes('..')
  ) {
    return undefined;
  }
  return file;
}

export interface StaticFile {
  status: 200 | 404;
  body: Buffer;
  contentType: string;
}

export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile> {
  const file = resolveStaticPath(root, urlPath);
  const notFound: StaticFile = {
    status: 404,
    body: Buffer.from('Not found'),
    contentType: 'text/plain; charset=utf-8',
  };
  if (!file) return notFound;
  try {
    return { status: 200, body: await readFile(file), contentType: contentTypeOf(file) };
  } catch {
    return notFound;
  }
}
