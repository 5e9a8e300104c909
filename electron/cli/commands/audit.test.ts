import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMazevault } from '../../testing/cli';

const PASSPHRASE = 'correct horse battery staple';

let dir: string;

function mazevault(args: string[], env: Record<string, string | undefined> = {}) {
  return runMazevault(args, {
    MAZEVAULT_PASSPHRASE: PASSPHRASE,
    MAZEVAULT_ACTOR: 'audit-test',
    ...env,
  });
}

function newVault(name: string): string {
  const path = join(dir, name);
  expect(mazevault(['vault', 'init', '--vault', path]).status).toBe(0);
  expect(
    mazevault(['key', 'generate', '--vault', path, '--algorithm', 'ec-p256', '--label', 'k'])
      .status,
  ).toBe(0);
  return path;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mazevault-audit-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mazevault audit verify', () => {
  it('checks the hash chain without a passphrase and says the MACs were not checked', () => {
    const vault = newVault('nopass.mzv');
    const run = mazevault(['audit', 'verify', '--vault', vault], {
      MAZEVAULT_PASSPHRASE: undefined,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/hash chain intact: \d+ events\. MACs were not checked/);
    expect(run.stdout).toMatch(/reaches its recorded head/);

    const explicit = mazevault([
      '--json',
      'audit',
      'verify',
      '--vault',
      vault,
      '--without-passphrase',
    ]);
    expect(JSON.parse(explicit.stdout)).toMatchObject({
      ok: true,
      macSkipped: true,
      macChecked: 0,
    });
  });

  it('checks the MACs when a passphrase is given', () => {
    const vault = newVault('withpass.mzv');
    const result = JSON.parse(mazevault(['--json', 'audit', 'verify', '--vault', vault]).stdout);
    expect(result).toMatchObject({ ok: true, macSkipped: false, unmacedTail: 0 });
    expect(result.macChecked).toBe(result.events);
  });

  it('reports events cut off the end of the trail, with and without the passphrase (finding #2)', () => {
    const vault = newVault('cut.mzv');
    const db = new Database(vault);
    const { n } = db.prepare('SELECT MAX(seq) AS n FROM audit_events').get() as { n: number };
    db.exec('DROP TRIGGER audit_events_no_delete');
    db.prepare('DELETE FROM audit_events WHERE seq >= ?').run(n - 2);
    db.close();

    const locked = mazevault(['audit', 'verify', '--vault', vault], {
      MAZEVAULT_PASSPHRASE: undefined,
    });
    expect(locked.status).toBe(1);
    expect(locked.stderr.trim()).toBe(
      `mazevault: The audit trail is broken at event ${n - 2}: the trail ends at event ` +
        `${n - 3} but event ${n} was recorded: events were removed.`,
    );

    const unlocked = mazevault(['audit', 'verify', '--vault', vault]);
    expect(unlocked.status).toBe(1);
    expect(unlocked.stderr).toMatch(/events .* missing .*: events were removed/);
  });

  it('counts failed unlocks after the MACed head without failing', () => {
    const vault = newVault('failed-unlock.mzv');
    const wrong = mazevault(['key', 'list', '--vault', vault], {
      MAZEVAULT_PASSPHRASE: 'not the right passphrase',
    });
    expect(wrong.status).toBe(1);
    const run = mazevault(['audit', 'verify', '--vault', vault], {
      MAZEVAULT_PASSPHRASE: undefined,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/1 later event\(s\) were written while the vault was locked/);
  });
});
