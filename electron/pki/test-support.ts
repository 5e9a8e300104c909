// Shared set-up for the pki tests: a throw-away vault with its services in a temp folder, and
// OpenSSL on the other side.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices, type Services } from '../services';
import { Vault } from '../vault/vault';

export const TEST_PASSPHRASE = 'correct horse battery staple';

export interface TestVault {
  dir: string;
  services: Services;
  cleanup: () => void;
}

export async function createTestVault(): Promise<TestVault> {
  const dir = mkdtempSync(join(tmpdir(), 'mazevault-pki-'));
  const vault = await Vault.create(join(dir, 'test.mzv'), TEST_PASSPHRASE, {
    kdfCost: 'test-only',
    actor: 'tester',
  });
  const services = createServices(vault);
  return {
    dir,
    services,
    cleanup: () => {
      vault.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes DER certificates as PEM files for OpenSSL and returns their paths. */
export function writePem(dir: string, name: string, der: Buffer): string {
  const path = join(dir, `${name}.pem`);
  const base64 = der.toString('base64').replace(/.{64}/g, '$&\n');
  writeFileSync(
    path,
    `-----BEGIN CERTIFICATE-----\n${base64.trimEnd()}\n-----END CERTIFICATE-----\n`,
  );
  return path;
}

export function openssl(
  args: string[],
  input?: Buffer,
): { status: number; stdout: string; stderr: string } {
  const result = spawnSync('openssl', args, { input, encoding: 'utf8' });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function certificateText(path: string): string {
  return execFileSync('openssl', ['x509', '-in', path, '-noout', '-text'], { encoding: 'utf8' });
}
