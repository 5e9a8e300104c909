import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSoftHsmHome,
  pkcs11Tool,
  SOFTHSM_MODULE,
  type SoftHsmHome,
} from '../providers/pkcs11/testing/softhsm';
import { runMazevault } from '../testing/cli';

// The issue-4 ceremony from the command line: the root CA key is made on a real SoftHSM2 token
// with `--store pkcs11:PROFILE:TOKEN`, the subordinate is signed by it, openssl accepts the chain.

let home: SoftHsmHome;
let vault: string;
let pinFile: string;

function mazevault(args: string[], env: Record<string, string> = {}) {
  return runMazevault(args, { SOFTHSM2_CONF: home.conf, ...env });
}

function json(args: string[]): Record<string, string> {
  const run = mazevault(['--json', ...args]);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as Record<string, string>;
}

beforeAll(() => {
  home = createSoftHsmHome();
  home.initToken('Root CA Token', { user: '246810' });
  vault = join(home.dir, 'ceremony.mzv');
  pinFile = join(home.dir, 'pin.txt');
  writeFileSync(pinFile, '246810\n', { mode: 0o600 });
  expect(mazevault(['vault', 'init', '--vault', vault]).status).toBe(0);
  const added = mazevault([
    'token',
    'profile-add',
    '--vault',
    vault,
    '--name',
    'lab',
    '--module',
    SOFTHSM_MODULE,
    '--preset',
    'softhsm2',
  ]);
  expect(added.stderr).toBe('');
});
afterAll(() => home.cleanup());

describe('a key ceremony with --store pkcs11 from the command line', () => {
  it('makes the root key on the token, signs a subordinate with it, and openssl verifies the chain', () => {
    const root = json([
      'ca',
      'root',
      '--vault',
      vault,
      '--subject',
      'CN=HSM Root CA,O=Lab',
      '--algorithm',
      'ec-p384',
      '--years',
      '20',
      '--store',
      'pkcs11:lab:Root CA Token',
      '--pin-file',
      pinFile,
    ]);
    const sub = json([
      'ca',
      'sub',
      '--vault',
      vault,
      '--issuer',
      root.id,
      '--subject',
      'CN=Issuing CA,O=Lab',
      '--algorithm',
      'ec-p256',
      '--years',
      '10',
      '--pin-file',
      pinFile,
    ]);
    const rootPem = join(home.dir, 'root.pem');
    const subPem = join(home.dir, 'sub.pem');
    // The root key lives on the token: the signature needs a logged-in session, hence the PIN.
    expect(
      mazevault(['export', '--vault', vault, root.id, '--format', 'pem', '--out', rootPem]).status,
    ).toBe(0);
    expect(
      mazevault(['export', '--vault', vault, sub.id, '--format', 'pem', '--out', subPem]).status,
    ).toBe(0);
    expect(
      execFileSync('openssl', ['verify', '-x509_strict', '-CAfile', rootPem, subPem], {
        encoding: 'utf8',
      }),
    ).toMatch(/OK/);

    const keys = JSON.parse(
      mazevault(['--json', 'key', 'list', '--vault', vault]).stdout,
    ) as unknown;
    expect(JSON.stringify(keys)).toContain('"provider":"pkcs11"');
    const objects = pkcs11Tool(home, [
      '--token-label',
      'Root CA Token',
      '--login',
      '--pin',
      '246810',
      '--list-objects',
      '--type',
      'privkey',
    ]);
    expect(objects).toMatch(/never extractable/);
    expect(objects).toMatch(/sensitive/);
  });

  it('refuses --store with an existing key, and an unknown store, in one line', () => {
    const run = mazevault([
      'ca',
      'root',
      '--vault',
      vault,
      '--subject',
      'CN=x',
      '--key',
      'key_x',
      '--years',
      '20',
      '--store',
      'pkcs11:lab',
    ]);
    expect(run.status).not.toBe(0);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/--store applies to a new key/);
    const unknown = mazevault([
      'key',
      'generate',
      '--vault',
      vault,
      '--algorithm',
      'ec-p256',
      '--label',
      'x',
      '--store',
      'cloud:x',
    ]);
    expect(unknown.stderr).toMatch(/Unknown key store "cloud:x"/);
  });

  it('generates a key on the token with key generate --store, PIN from the environment', () => {
    const key = JSON.parse(
      mazevault(
        [
          '--json',
          'key',
          'generate',
          '--vault',
          vault,
          '--algorithm',
          'rsa-2048',
          '--label',
          'signer on token',
          '--store',
          'pkcs11:lab:Root CA Token',
        ],
        { MAZEVAULT_PKCS11_PIN: '246810' },
      ).stdout,
    ) as Record<string, string>;
    expect(key.id).toMatch(/^key_/);
  });
});
