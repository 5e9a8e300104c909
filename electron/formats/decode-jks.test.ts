import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp';
import { decode } from './decode';

const BIN = resolve(__dirname, '../../bin/mazevault.mjs');
let dir: { path: string; cleanup: () => void };
let store: string;

beforeAll(() => {
  dir = tempDir();
  store = join(dir.path, 'store.jks');
  // A JKS whose key entry has its own password, made by keytool as a Java shop would.
  execFileSync(
    'keytool',
    [
      '-genkeypair',
      '-storetype',
      'JKS',
      '-keystore',
      store,
      '-storepass',
      'storepw1',
      '-keypass',
      'keypw222',
      '-alias',
      'j1',
      '-keyalg',
      'EC',
      '-groupname',
      'secp256r1',
      '-dname',
      'CN=jks.example',
      '-validity',
      '30',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
});
afterAll(() => dir.cleanup());

describe('key passwords for JKS aliases (finding 16)', () => {
  it('warns about a key password for an alias the store does not hold, and still opens the store', async () => {
    const bundle = await decode(readFileSync(store), {
      password: 'storepw1',
      keyPasswords: { j1: 'keypw222', nosuch: 'whatever', J1: 'keypw222' },
    });
    expect(bundle.privateKeys.map((key) => key.alias)).toEqual(['j1']);
    expect(bundle.warnings).toEqual([
      expect.stringMatching(
        /alias "nosuch", but the JKS key store has no private-key entry by that name \(its private-key entries are "j1"\); that password was not used/,
      ),
      expect.stringContaining('aliases are matched exactly, did you mean "j1"?'),
    ]);
  });

  it('gives no such warning when every key password names an entry', async () => {
    const bundle = await decode(readFileSync(store), {
      password: 'storepw1',
      keyPasswords: { j1: 'keypw222' },
    });
    expect(bundle.warnings.filter((w) => w.includes('key password'))).toEqual([]);
  });

  it('shows the warning in mazevault inspect --key-password-file', () => {
    const storePassword = join(dir.path, 'store.pw');
    const keyPassword = join(dir.path, 'key.pw');
    writeFileSync(storePassword, 'storepw1\n');
    writeFileSync(keyPassword, 'keypw222\n');
    const run = spawnSync(
      process.execPath,
      [
        BIN,
        'inspect',
        store,
        '--password-file',
        storePassword,
        '--key-password-file',
        `j1=${keyPassword}`,
        '--key-password-file',
        `nosuch=${keyPassword}`,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Warning: A key password was given for the alias "nosuch"/m);
  });
});
