import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { tempVault } from '../testing/temp';
import type { Vault } from '../vault/vault';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

async function vaultWithEvents(count: number): Promise<Vault> {
  const t = await tempVault();
  cleanups.push(t.cleanup);
  for (let i = 0; i < count; i += 1) {
    t.vault.record({
      action: 'test.event',
      subject: `subject-${i}`,
      outcome: 'success',
      details: { i },
    });
  }
  return t.vault;
}

/** What a tamperer with write access to the file would do: remove the guard triggers first. */
function dropGuards(vault: Vault): void {
  vault.db.exec('DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;');
}

describe('the audit trail', () => {
  it('verifies an untouched chain, MACs included', async () => {
    const vault = await vaultWithEvents(5);
    const result = vault.audit.verify();
    expect(result).toMatchObject({ ok: true, events: 6, macSkipped: false });
    expect(result.macChecked).toBe(6);
  });

  it('is refused UPDATE and DELETE by the database itself', async () => {
    const vault = await vaultWithEvents(2);
    expect(() =>
      vault.db.prepare("UPDATE audit_events SET subject = 'x' WHERE seq = 2").run(),
    ).toThrow(/append-only/);
    expect(() => vault.db.prepare('DELETE FROM audit_events WHERE seq = 2').run()).toThrow(
      /append-only/,
    );
  });

  it('names an edited event as the first broken link', async () => {
    const vault = await vaultWithEvents(5);
    dropGuards(vault);
    vault.db.prepare("UPDATE audit_events SET outcome = 'failure' WHERE seq = 3").run();
    expect(vault.audit.verify()).toMatchObject({
      ok: false,
      firstBroken: { seq: 3, reason: expect.stringMatching(/altered/) },
    });
  });

  it('catches a deleted event in the middle and at the end', async () => {
    const vault = await vaultWithEvents(5);
    dropGuards(vault);
    vault.db.prepare('DELETE FROM audit_events WHERE seq = 4').run();
    expect(vault.audit.verify()).toMatchObject({
      ok: false,
      firstBroken: { seq: 4, reason: expect.stringMatching(/missing/) },
    });

    const other = await vaultWithEvents(5);
    dropGuards(other);
    other.db.prepare('DELETE FROM audit_events WHERE seq = 6').run();
    expect(other.audit.verify()).toMatchObject({
      ok: false,
      firstBroken: { seq: 6, reason: expect.stringMatching(/deleted/) },
    });
  });

  it('catches a rewritten chain whose hashes were recomputed without the vault key', async () => {
    const vault = await vaultWithEvents(3);
    dropGuards(vault);
    // Rewrite event 2 and recompute every later hash, as a tamperer who read this code could.
    const rows = vault.db.prepare('SELECT * FROM audit_events ORDER BY seq').all() as Record<
      string,
      unknown
    >[];
    let prev = rows[0].hash as string;
    for (const row of rows.slice(1)) {
      const details = row.seq === 2 ? JSON.stringify({ i: 999 }) : (row.details as string);
      const hash = createHash('sha256')
        .update(
          JSON.stringify([
            row.seq,
            row.time,
            row.actor,
            row.action,
            row.subject,
            row.outcome,
            details,
            prev,
          ]),
        )
        .digest('hex');
      vault.db
        .prepare('UPDATE audit_events SET details = ?, prev_hash = ?, hash = ? WHERE seq = ?')
        .run(details, prev, hash, row.seq);
      prev = hash;
    }
    vault.setSetting('audit.head', JSON.stringify({ seq: rows.length, hash: prev }));
    expect(vault.audit.verify()).toMatchObject({
      ok: false,
      firstBroken: { seq: 2, reason: expect.stringMatching(/MAC/) },
    });
  });

  it('refuses details that look like secrets', async () => {
    const vault = await vaultWithEvents(0);
    expect(() =>
      vault.record({ action: 'x', subject: 'y', outcome: 'success', details: { passphrase: 'p' } }),
    ).toThrow(/looks like a secret/);
    expect(() =>
      vault.record({ action: 'x', subject: 'y', outcome: 'success', details: { pin: '1234' } }),
    ).toThrow(/looks like a secret/);
  });
});
