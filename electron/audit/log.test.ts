import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_PASSPHRASE, tempVault } from '../testing/temp';
import { Vault as VaultClass } from '../vault/vault';
import { AuditLog, legacyEventMac } from './log';
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
      firstBroken: {
        seq: 6,
        reason: 'the trail ends at event 5 but event 6 was recorded: events were removed',
      },
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

  describe('tail truncation (newcomer finding #2)', () => {
    /** What the newcomer's repro does: drop the guards, delete every event from `seq` on. */
    function cutTail(vault: Vault, fromSeq: number): void {
      dropGuards(vault);
      vault.db.prepare('DELETE FROM audit_events WHERE seq >= ?').run(fromSeq);
    }

    it('reports events deleted from the end of the trail, naming both ends', async () => {
      const vault = await vaultWithEvents(11);
      cutTail(vault, 9);
      expect(vault.audit.verify()).toMatchObject({
        ok: false,
        firstBroken: {
          seq: 9,
          reason: 'the trail ends at event 8 but event 12 was recorded: events were removed',
        },
      });
    });

    it('still reports the cut after the tamperer also rewinds the unMACed head', async () => {
      const vault = await vaultWithEvents(11);
      const survivor = vault.db.prepare('SELECT hash FROM audit_events WHERE seq = 8').get() as {
        hash: string;
      };
      cutTail(vault, 9);
      vault.setSetting('audit.head', JSON.stringify({ seq: 8, hash: survivor.hash }));
      expect(vault.audit.verify().firstBroken?.reason).toMatch(
        /ends at event 8 but event 12 was recorded: events were removed/,
      );
    });

    it('never reuses a removed sequence number, so the next unlock leaves a reported gap', async () => {
      const t = await tempVault();
      cleanups.push(t.cleanup);
      for (let i = 0; i < 4; i += 1) {
        t.vault.record({ action: 'test.event', subject: `s${i}`, outcome: 'success' });
      }
      t.vault.close(); // records vault.lock as event 6
      const tamper = new Database(t.path);
      tamper.exec('DROP TRIGGER audit_events_no_delete');
      tamper.prepare('DELETE FROM audit_events WHERE seq >= 4').run();
      tamper.prepare("DELETE FROM settings WHERE name = 'audit.head'").run();
      tamper.close();

      const reopened = VaultClass.open(t.path);
      await reopened.unlock(TEST_PASSPHRASE);
      const newest = reopened.audit.list({ limit: 1 })[0]!;
      expect(newest).toMatchObject({ seq: 7, action: 'vault.unlock' });
      expect(reopened.audit.verify()).toMatchObject({
        ok: false,
        firstBroken: {
          seq: 4,
          reason: 'events 4 to 6 are missing (the next event found is 7): events were removed',
        },
      });
      reopened.close();
    });

    it('fails when the MACed head was edited to match the shortened trail', async () => {
      const vault = await vaultWithEvents(5);
      const survivor = vault.db.prepare('SELECT hash FROM audit_events WHERE seq = 4').get() as {
        hash: string;
      };
      const forged = JSON.stringify({ seq: 4, hash: survivor.hash, mac: 'ab'.repeat(32) });
      cutTail(vault, 5);
      vault.setSetting('audit.head', JSON.stringify({ seq: 4, hash: survivor.hash }));
      vault.setSetting('audit.macHead', forged);
      expect(vault.audit.verify()).toMatchObject({
        ok: false,
        firstBroken: {
          seq: 4,
          reason: expect.stringMatching(/head .* MAC this vault did not write/),
        },
      });

      // The next unlocked event must not paper over the forged head with a fresh, valid one.
      vault.record({ action: 'test.after', subject: 'x', outcome: 'success' });
      expect(vault.getSetting('audit.macHead')).toBe(forged);
      expect(vault.audit.verify().ok).toBe(false);
    });

    it('fails when the MACed head was deleted along with the tail', async () => {
      const vault = await vaultWithEvents(5);
      cutTail(vault, 5);
      vault.db.prepare("DELETE FROM settings WHERE name IN ('audit.head', 'audit.macHead')").run();
      expect(vault.audit.verify()).toMatchObject({
        ok: false,
        firstBroken: { reason: expect.stringMatching(/head of the trail was removed/) },
      });
      vault.record({ action: 'test.after', subject: 'x', outcome: 'success' });
      expect(vault.getSetting('audit.macHead')).toBeUndefined();
      expect(vault.audit.verify().ok).toBe(false);
    });

    it('passes normal use and names the MACed head it checked', async () => {
      const vault = await vaultWithEvents(3);
      expect(vault.audit.verify()).toMatchObject({
        ok: true,
        events: 4,
        macChecked: 4,
        macHead: { seq: 4, macChecked: true },
        unmacedTail: 0,
      });
    });

    it('reports failed unlocks after the head as un-MACed events, not as a failure', async () => {
      const t = await tempVault();
      cleanups.push(t.cleanup);
      const auditKey = t.vault.deriveSubkey('audit-mac');
      t.vault.lock(); // event 2, MACed: the head
      await expect(t.vault.unlock('not the passphrase at all')).rejects.toThrow(/Wrong/);
      await expect(t.vault.unlock('still not the passphrase')).rejects.toThrow(/Wrong/);

      expect(new AuditLog(t.vault.db, () => auditKey).verify()).toMatchObject({
        ok: true,
        events: 4,
        macChecked: 2,
        macHead: { seq: 2, macChecked: true },
        unmacedTail: 2,
      });
      expect(t.vault.audit.verify()).toMatchObject({
        ok: true,
        macSkipped: true,
        macHead: { seq: 2, macChecked: false },
        unmacedTail: 2,
      });

      await t.vault.unlock(TEST_PASSPHRASE);
      expect(t.vault.audit.verify()).toMatchObject({ ok: true, events: 5, unmacedTail: 0 });
    });

    it('verifies a trail written before heads were kept, and the next unlocked event adds one', async () => {
      const t = await tempVault();
      cleanups.push(t.cleanup);
      for (let i = 0; i < 3; i += 1) {
        t.vault.record({ action: 'test.event', subject: `s${i}`, outcome: 'success' });
      }
      // Rewrite the trail as an older MazeVault left it: bare-hash MACs and no MACed head.
      const auditKey = t.vault.deriveSubkey('audit-mac');
      dropGuards(t.vault);
      for (const row of t.vault.db.prepare('SELECT seq, hash FROM audit_events').all() as {
        seq: number;
        hash: string;
      }[]) {
        t.vault.db
          .prepare('UPDATE audit_events SET mac = ? WHERE seq = ?')
          .run(legacyEventMac(auditKey, row.hash), row.seq);
      }
      t.vault.db.prepare("DELETE FROM settings WHERE name = 'audit.macHead'").run();
      expect(t.vault.audit.verify()).toMatchObject({ ok: true, events: 4, macHead: null });

      t.vault.record({ action: 'test.after', subject: 'x', outcome: 'success' });
      expect(t.vault.audit.verify()).toMatchObject({
        ok: true,
        events: 5,
        macChecked: 5,
        macHead: { seq: 5, macChecked: true },
      });
    });

    it('refuses an old-style MAC after events that carry the current one', async () => {
      const vault = await vaultWithEvents(3);
      const auditKey = vault.deriveSubkey('audit-mac');
      dropGuards(vault);
      const row = vault.db.prepare('SELECT hash FROM audit_events WHERE seq = 3').get() as {
        hash: string;
      };
      vault.db
        .prepare('UPDATE audit_events SET mac = ? WHERE seq = 3')
        .run(legacyEventMac(auditKey, row.hash));
      expect(vault.audit.verify()).toMatchObject({ ok: false, firstBroken: { seq: 3 } });
    });
  });
});
