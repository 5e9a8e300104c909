// Test support for the export writers: corpus keys and certificates in the form encode() takes,
// a temp folder per suite, and the real openssl and keytool on the other side.

import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusPath } from '../testing/corpus';

export const INTEROP = corpusPath('interop');

export function corpusCertificate(file: string): Buffer {
  return new X509Certificate(readFileSync(join(INTEROP, file))).raw;
}

/** A corpus key as plain PKCS#8 DER, the form the vault hands to the writers. */
export function corpusKey(file: string): Buffer {
  return createPrivateKey(readFileSync(join(INTEROP, file))).export({
    format: 'der',
    type: 'pkcs8',
  });
}

export function pemBody(text: string): Buffer {
  return Buffer.from(text.replace(/-----[A-Z0-9 ]+-----|\s/g, ''), 'base64');
}

/** The three key types every writer is tried with: RSA with a chain, EC P-384, Ed25519. */
export const KEYS = {
  rsa: {
    key: () => corpusKey('leaf.key'),
    chain: () => ['leaf.pem', 'int.pem', 'root.pem'].map(corpusCertificate),
  },
  ec: { key: () => corpusKey('root.key'), chain: () => [corpusCertificate('root.pem')] },
  ed25519: { key: () => corpusKey('ed25519.key'), chain: () => [corpusCertificate('ed25519.pem')] },
} as const;

export class Workdir {
  readonly path = mkdtempSync(join(tmpdir(), 'mazevault-encode-'));

  file(name: string, content?: Buffer | string): string {
    const path = join(this.path, name);
    if (content !== undefined) writeFileSync(path, content);
    return path;
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

export interface ToolResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a tool and returns what it said, without throwing on failure. */
export function run(tool: 'openssl' | 'keytool', args: string[]): ToolResult {
  const result = spawnSync(tool, args, { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs a tool that must succeed; returns stdout as bytes (openssl -outform DER output). */
export function runBytes(tool: 'openssl' | 'keytool', args: string[]): Buffer {
  return execFileSync(tool, args, { timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function sha256Fingerprint(der: Buffer): string {
  return new X509Certificate(der).fingerprint256;
}
