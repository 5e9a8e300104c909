import { createPrivateKey, createPublicKey } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp';
import { decode } from './decode';

const PASSWORD = 'camellia and aria';
const CIPHERS = [
  'camellia-128-cbc',
  'camellia-192-cbc',
  'camellia-256-cbc',
  'aria-128-cbc',
  'aria-192-cbc',
  'aria-256-cbc',
] as const;

let dir: { path: string; cleanup: () => void };
let plainKey: string;
let publicKey: string;

function openssl(args: string[]): void {
  execFileSync('openssl', args, { cwd: dir.path, stdio: ['ignore', 'pipe', 'pipe'] });
}

function spkiOf(pkcs8: Buffer): string {
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  return createPublicKey(key).export({ format: 'pem', type: 'spki' }).toString();
}

beforeAll(() => {
  dir = tempDir();
  plainKey = join(dir.path, 'plain.pem');
  openssl(['genpkey', '-algorithm', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', plainKey]);
  publicKey = createPublicKey(readFileSync(plainKey))
    .export({ format: 'pem', type: 'spki' })
    .toString();
});
afterAll(() => dir.cleanup());

describe('keys encrypted with Camellia or ARIA (finding 16)', () => {
  it.each(CIPHERS)('opens a PBES2 PKCS#8 key made by openssl pkcs8 -v2 %s', async (cipher) => {
    const out = join(dir.path, `${cipher}.p8`);
    openssl([
      'pkcs8',
      '-topk8',
      '-v2',
      cipher,
      '-in',
      plainKey,
      '-passout',
      `pass:${PASSWORD}`,
      '-out',
      out,
    ]);
    const bundle = await decode(readFileSync(out), { password: PASSWORD });
    expect(bundle.privateKeys).toHaveLength(1);
    expect(spkiOf(bundle.privateKeys[0]!.pkcs8)).toBe(publicKey);

    await expect(decode(readFileSync(out), { password: 'not the password' })).rejects.toThrow(
      /password/i,
    );
  });

  it.each(CIPHERS)('opens a legacy PEM key with DEK-Info %s', async (cipher) => {
    const out = join(dir.path, `${cipher}-traditional.pem`);
    const flag = `-${cipher.replace(/-cbc$/, '').replace('-', '')}`;
    openssl(['ec', '-in', plainKey, flag, '-passout', `pass:${PASSWORD}`, '-out', out]);
    expect(readFileSync(out, 'latin1')).toContain(`DEK-Info: ${cipher.toUpperCase()},`);
    const bundle = await decode(readFileSync(out), { password: PASSWORD });
    expect(spkiOf(bundle.privateKeys[0]!.pkcs8)).toBe(publicKey);

    await expect(decode(readFileSync(out), { password: 'not the password' })).rejects.toThrow(
      /password/i,
    );
  });
});
