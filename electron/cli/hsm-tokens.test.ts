import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSoftHsmHome,
  pkcs11Tool,
  SOFTHSM_MODULE,
  type SoftHsmHome,
} from '../providers/pkcs11/testing/softhsm';
import { runMazevault } from '../testing/cli';

// Findings 8, 15 and 3 (token side): two tokens that share a label in one module, keys made for
// signing only, and nothing left behind when an HSM CA has no PIN to sign with.
const PIN = '246810';

let home: SoftHsmHome;
let vault: string;
let pinFile: string;
let first: string;
let second: string;

function mazevault(args: string[], env: Record<string, string> = {}) {
  return runMazevault(args, { SOFTHSM2_CONF: home.conf, ...env });
}

function json(args: string[]): Record<string, unknown> {
  const run = mazevault(['--json', ...args]);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

function count(sql: string, ...params: unknown[]): number {
  const db = new Database(vault, { readonly: true });
  try {
    return (db.prepare(sql).get(...params) as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Slot number by token serial, as softhsm2-util prints them ("Slot 1106777816"). */
function slotsBySerial(): Map<string, string> {
  const out = execFileSync('softhsm2-util', ['--show-slots'], {
    env: { ...process.env, SOFTHSM2_CONF: home.conf },
    encoding: 'utf8',
  });
  const slots = new Map<string, string>();
  for (const block of out.split(/\nSlot /).slice(1)) {
    const serial = /Serial number:[ \t]+(\S+)/.exec(block)?.[1];
    if (serial) slots.set(serial, block.split('\n')[0]!.trim());
  }
  return slots;
}

/** pkcs11-tool -O of one token, selected by its slot number (both tokens share a label). */
function objectsOn(serial: string): string {
  return pkcs11Tool(home, ['--slot', slotsBySerial().get(serial)!, '--login', '--pin', PIN, '-O']);
}

/** The "Usage:" line of each object pkcs11-tool lists with the given label, by object kind. */
function usages(listing: string, label: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const block of listing.split(/\n(?=\S)/)) {
    const kind = /^(Private Key|Public Key) Object/.exec(block)?.[1];
    const named = /label:\s+(.*)/.exec(block)?.[1]?.trim();
    if (!kind || named !== label) continue;
    out[kind] = /Usage:\s+(.*)/.exec(block)?.[1]?.trim() ?? '';
  }
  return out;
}

beforeAll(() => {
  home = createSoftHsmHome();
  // initToken looks the serial up by label, which both share: read the two serials from the slots.
  home.initToken('HA', { user: PIN });
  home.initToken('HA', { user: PIN });
  [first, second] = [...slotsBySerial().keys()] as [string, string];
  expect(first).toBeDefined();
  expect(second).toBeDefined();
  expect(first).not.toBe(second);
  vault = join(home.dir, 'tokens.mzv');
  pinFile = join(home.dir, 'pin.txt');
  writeFileSync(pinFile, `${PIN}\n`, { mode: 0o600 });
  expect(mazevault(['vault', 'init', '--vault', vault]).status).toBe(0);
  expect(
    mazevault([
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
    ]).stderr,
  ).toBe('');
});
afterAll(() => home.cleanup());

describe('two tokens with the same label in one module', () => {
  it('names each token in a --store form that works, and accepts pkcs11:PROFILE:serial=SERIAL', () => {
    const ambiguous = mazevault([
      'key',
      'generate',
      '--vault',
      vault,
      '--algorithm',
      'ec-p256',
      '--label',
      'twin-a',
      '--store',
      'pkcs11:lab:HA',
      '--pin-file',
      pinFile,
    ]);
    expect(ambiguous.status).toBe(1);
    const suggested = /--store (pkcs11:lab:serial=[0-9a-f]+) \(HA\)/.exec(ambiguous.stderr)?.[1];
    expect(ambiguous.stderr).toContain(`--store pkcs11:lab:serial=${first} (HA)`);
    expect(ambiguous.stderr).toContain(`--store pkcs11:lab:serial=${second} (HA)`);

    const onSecond = `pkcs11:lab:serial=${second}`;
    expect(suggested).toBeDefined();
    const key = json([
      'key',
      'generate',
      '--vault',
      vault,
      '--algorithm',
      'ec-p256',
      '--label',
      'twin-a',
      '--store',
      onSecond,
      '--pin-file',
      pinFile,
    ]);
    expect(key.id).toMatch(/^key_/);
    expect(objectsOn(second)).toMatch(/label:\s+twin-a/);
    expect(objectsOn(first)).not.toMatch(/label:\s+twin-a/);
  });

  it('refuses a serial that no token has, and an empty serial=, in one line', () => {
    const none = mazevault([
      'key',
      'generate',
      '--vault',
      vault,
      '--algorithm',
      'ec-p256',
      '--label',
      'x',
      '--store',
      'pkcs11:lab:serial=ffffffffffffffff',
      '--pin-file',
      pinFile,
    ]);
    expect(none.stderr.trim()).toBe(
      'mazevault: No token with serial ffffffffffffffff is present; insert or reconnect it.',
    );
    const empty = mazevault([
      'key',
      'generate',
      '--vault',
      vault,
      '--algorithm',
      'ec-p256',
      '--label',
      'x',
      '--store',
      'pkcs11:lab:serial=',
    ]);
    expect(empty.stderr).toMatch(/Give the token serial after "serial="/);
  });

  it('prints slot ids in token list as softhsm2-util and pkcs11-tool do', () => {
    const listed = mazevault(['token', 'list', '--vault', vault, '--profile', 'lab']);
    expect(listed.status).toBe(0);
    for (const [serial, slot] of slotsBySerial()) {
      const hex = `0x${BigInt(slot).toString(16)}`;
      const row = listed.stdout.split('\n').find((line) => line.includes(serial));
      expect(row).toMatch(new RegExp(`^${slot} \\(${hex}\\)\\s`));
      // pkcs11-tool -L names the same slot by the same hex id.
      expect(pkcs11Tool(home, ['-L'])).toMatch(
        new RegExp(`\\(${hex}\\)[^\\n]*\\n\\s+token label\\s+: HA`),
      );
    }
    const data = JSON.parse(
      mazevault(['--json', 'token', 'list', '--vault', vault, '--profile', 'lab']).stdout,
    ) as { slots: { slotNumber: string; token?: { serial: string } }[] };
    const bySerial = slotsBySerial();
    for (const slot of data.slots.filter((s) => s.token?.serial)) {
      expect(slot.slotNumber).toBe(bySerial.get(slot.token!.serial));
    }
  });
});

describe('keys made on a token for signing', () => {
  it('allows an EC CA key to sign and verify only, as pkcs11-tool -O shows', () => {
    json([
      'ca',
      'root',
      '--vault',
      vault,
      '--subject',
      'CN=Usage Root',
      '--algorithm',
      'ec-p256',
      '--years',
      '10',
      '--store',
      `pkcs11:lab:serial=${first}`,
      '--pin-file',
      pinFile,
    ]);
    expect(usages(objectsOn(first), 'Usage Root (root-ca)')).toEqual({
      'Private Key': 'sign',
      'Public Key': 'verify',
    });
  });

  it('allows an RSA signing key no decrypt, unwrap, encrypt or wrap', () => {
    json([
      'key',
      'generate',
      '--vault',
      vault,
      '--algorithm',
      'rsa-2048',
      '--label',
      'usage-rsa',
      '--store',
      `pkcs11:lab:serial=${first}`,
      '--pin-file',
      pinFile,
    ]);
    expect(usages(objectsOn(first), 'usage-rsa')).toEqual({
      'Private Key': 'sign',
      'Public Key': 'verify',
    });
  });
});

describe('an HSM CA without its PIN', () => {
  let rootId: string;

  beforeAll(() => {
    rootId = json([
      'ca',
      'root',
      '--vault',
      vault,
      '--subject',
      'CN=No PIN Root',
      '--algorithm',
      'ec-p256',
      '--years',
      '10',
      '--store',
      `pkcs11:lab:serial=${second}`,
      '--pin-file',
      pinFile,
    ]).id as string;
  });

  it('refuses to issue before it makes the new leaf key: no key, active or deactivated, is left', () => {
    const keys = () => count('SELECT COUNT(*) AS n FROM keys');
    const before = keys();
    const run = mazevault([
      'cert',
      'issue',
      '--vault',
      vault,
      '--issuer',
      rootId,
      '--subject',
      'CN=leaf.example.com',
      '--san',
      'DNS:leaf.example.com',
      '--algorithm',
      'ec-p256',
      '--days',
      '90',
    ]);
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/PIN/);
    expect(keys()).toBe(before);
    expect(count(`SELECT COUNT(*) AS n FROM audit_events WHERE action = 'key.generate'`)).toBe(
      count('SELECT COUNT(*) AS n FROM keys'),
    );
  });

  it('uses up no CRL number when a CRL cannot be signed for want of the PIN', () => {
    const out = join(home.dir, 'root.crl');
    const failed = mazevault(['crl', 'issue', '--vault', vault, '--issuer', rootId, '--out', out]);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/PIN/);
    expect(count('SELECT COUNT(*) AS n FROM issued_crls')).toBe(0);
    expect(count('SELECT COALESCE(MAX(last_crl_number), 0) AS n FROM crl_policies')).toBe(0);

    json([
      'crl',
      'issue',
      '--vault',
      vault,
      '--issuer',
      rootId,
      '--out',
      out,
      '--pin-file',
      pinFile,
    ]);
    expect(
      execFileSync('openssl', ['crl', '-in', out, '-noout', '-crlnumber'], { encoding: 'utf8' }),
    ).toMatch(/crlNumber=0x01/);
  });
});
