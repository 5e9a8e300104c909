import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MazeVaultError } from '../../shared/errors';
import { tempDir, tempVault, TEST_PASSPHRASE } from '../testing/temp';
import { schemaVersion } from './database';
import { MINIMUM_SCRYPT } from './kdf';
import { Vault } from './vault';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

async function vaultWithSecret() {
  const t = await tempVault();
  cleanups.push(t.cleanup);
  const id = t.vault.transaction(() =>
    t.vault.sealSecret('keys', 'key_a', 'private-key', Buffer.from('secret material A')),
  );
  return { ...t, id };
}

function expectCode(fn: () => unknown, code: string, message?: RegExp): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(MazeVaultError);
    expect((error as MazeVaultError).code).toBe(code);
    if (message) expect((error as Error).message).toMatch(message);
    return;
  }
  throw new Error(`expected ${code}`);
}

describe('the vault file', () => {
  it('is SQLite in WAL mode with foreign keys and a schema version', async () => {
    const { vault } = await vaultWithSecret();
    expect(vault.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(vault.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(vault.db)).toBeGreaterThanOrEqual(1);
  });

  it('never stores the passphrase, the data key or a plaintext secret', async () => {
    const { vault, path } = await vaultWithSecret();
    vault.db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = readFileSync(path);
    expect(bytes.includes(Buffer.from(TEST_PASSPHRASE))).toBe(false);
    expect(bytes.includes(Buffer.from('secret material A'))).toBe(false);
  });

  it('refuses to overwrite an existing file', async () => {
    const { path } = await vaultWithSecret();
    await expect(
      Vault.create(path, TEST_PASSPHRASE, { kdfCost: 'test-only' }),
    ).rejects.toMatchObject({ code: 'VAULT_EXISTS' });
  });

  it('refuses a short passphrase', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    await expect(
      Vault.create(`${dir.path}/v.mzv`, 'short', { kdfCost: 'test-only' }),
    ).rejects.toMatchObject({ code: 'WEAK_PASSPHRASE' });
  });

  it('uses at least scrypt N=2^17, r=8, p=1 unless a test vault is asked for', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const vault = await Vault.create(`${dir.path}/strong.mzv`, TEST_PASSPHRASE);
    cleanups.push(() => vault.close());
    expect(vault.kdfParameters()).toMatchObject({ algorithm: 'scrypt', ...MINIMUM_SCRYPT });
    expect(vault.isTestOnlyKdf).toBe(false);
  });
});

describe('sealed records', () => {
  it('open with the right identity after lock and unlock', async () => {
    const { vault, id } = await vaultWithSecret();
    vault.lock();
    await vault.unlock(TEST_PASSPHRASE);
    const plain = vault.openSecret(id, {
      ownerTable: 'keys',
      ownerId: 'key_a',
      kind: 'private-key',
    });
    expect(plain.toString()).toBe('secret material A');
  });

  it('refuse a ciphertext with one flipped bit as a damaged record', async () => {
    const { vault, id } = await vaultWithSecret();
    const row = vault.db.prepare('SELECT ciphertext FROM secrets WHERE id = ?').get(id) as {
      ciphertext: Buffer;
    };
    const flipped = Buffer.from(row.ciphertext);
    flipped[3] ^= 0x01;
    vault.db.prepare('UPDATE secrets SET ciphertext = ? WHERE id = ?').run(flipped, id);
    expectCode(
      () => vault.openSecret(id, { ownerTable: 'keys', ownerId: 'key_a', kind: 'private-key' }),
      'RECORD_DAMAGED',
      new RegExp(`vault record ${id} is damaged`, 'i'),
    );
  });

  it('refuse a ciphertext moved to another row', async () => {
    const { vault, id } = await vaultWithSecret();
    const other = vault.transaction(() =>
      vault.sealSecret('keys', 'key_b', 'private-key', Buffer.from('secret material B')),
    );
    const a = vault.db.prepare('SELECT nonce, ciphertext FROM secrets WHERE id = ?').get(id) as {
      nonce: Buffer;
      ciphertext: Buffer;
    };
    vault.db
      .prepare('UPDATE secrets SET nonce = ?, ciphertext = ? WHERE id = ?')
      .run(a.nonce, a.ciphertext, other);
    expectCode(
      () => vault.openSecret(other, { ownerTable: 'keys', ownerId: 'key_b', kind: 'private-key' }),
      'RECORD_DAMAGED',
      new RegExp(`vault record ${other} is damaged`, 'i'),
    );
  });

  it('refuse a record opened for an owner it was not sealed for', async () => {
    const { vault, id } = await vaultWithSecret();
    expectCode(
      () => vault.openSecret(id, { ownerTable: 'keys', ownerId: 'key_b', kind: 'private-key' }),
      'RECORD_DAMAGED',
    );
  });

  it('use a fresh nonce for every write', async () => {
    const { vault, id } = await vaultWithSecret();
    const before = (
      vault.db.prepare('SELECT nonce FROM secrets WHERE id = ?').get(id) as { nonce: Buffer }
    ).nonce;
    vault.resealSecret(id, Buffer.from('secret material A'));
    const after = vault.db.prepare('SELECT nonce, version FROM secrets WHERE id = ?').get(id) as {
      nonce: Buffer;
      version: number;
    };
    expect(after.nonce.equals(before)).toBe(false);
    expect(after.version).toBe(2);
    expect(
      vault
        .openSecret(id, { ownerTable: 'keys', ownerId: 'key_a', kind: 'private-key' })
        .toString(),
    ).toBe('secret material A');
  });

  it('cannot be opened while the vault is locked', async () => {
    const { vault, id } = await vaultWithSecret();
    vault.lock();
    expectCode(
      () => vault.openSecret(id, { ownerTable: 'keys', ownerId: 'key_a', kind: 'private-key' }),
      'VAULT_LOCKED',
    );
  });
});

describe('unlocking', () => {
  it('says "wrong passphrase", audits the failure and leaves keys and slots untouched', async () => {
    const { vault, path } = await vaultWithSecret();
    vault.close();
    const snapshot = (file: string) => {
      const db = new Database(file, { readonly: true });
      const data = JSON.stringify([
        db.prepare('SELECT * FROM key_slots').all(),
        db.prepare('SELECT * FROM secrets').all(),
      ]);
      db.close();
      return data;
    };
    const before = snapshot(path);

    const reopened = Vault.open(path, { actor: 'intruder' });
    cleanups.push(() => reopened.close());
    await expect(reopened.unlock('not the passphrase at all')).rejects.toThrow(/^Wrong passphrase/);
    await expect(reopened.unlock('not the passphrase at all')).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
    });
    expect(reopened.isUnlocked).toBe(false);

    const failures = reopened.audit
      .list({ action: 'vault.unlock' })
      .filter((e) => e.outcome === 'failure');
    expect(failures).toHaveLength(2);
    expect(failures[0].actor).toBe('intruder');
    expect(snapshot(path)).toBe(before);
    expect(reopened.audit.verify().ok).toBe(true);
  });

  it('changes the passphrase by re-wrapping the data key only', async () => {
    const { vault, path, id } = await vaultWithSecret();
    const secretsBefore = JSON.stringify(vault.db.prepare('SELECT * FROM secrets').all());
    await vault.changePassphrase(TEST_PASSPHRASE, 'a brand new passphrase');
    expect(JSON.stringify(vault.db.prepare('SELECT * FROM secrets').all())).toBe(secretsBefore);
    vault.close();

    const reopened = Vault.open(path);
    cleanups.push(() => reopened.close());
    await expect(reopened.unlock(TEST_PASSPHRASE)).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
    });
    await reopened.unlock('a brand new passphrase');
    expect(
      reopened
        .openSecret(id, { ownerTable: 'keys', ownerId: 'key_a', kind: 'private-key' })
        .toString(),
    ).toBe('secret material A');
  });

  it('raises the KDF cost without a new vault and refuses to lower it', async () => {
    const { vault } = await vaultWithSecret();
    const before = vault.kdfParameters();
    await vault.raiseKdfCost(TEST_PASSPHRASE, { N: before.N * 2, r: 8, p: 1 });
    expect(vault.kdfParameters().N).toBe(before.N * 2);
    await expect(
      vault.raiseKdfCost(TEST_PASSPHRASE, { N: before.N, r: 8, p: 1 }),
    ).rejects.toMatchObject({ code: 'POLICY_VIOLATION' });
  });

  it('locks itself after the idle time and tells its listeners', async () => {
    const { vault } = await vaultWithSecret();
    const reasons: string[] = [];
    vault.onLock((reason) => reasons.push(reason));
    vault.setAutoLockMs(30);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(vault.isUnlocked).toBe(false);
    expect(reasons).toEqual(['idle']);
    expect(vault.audit.list({ action: 'vault.lock' })[0].details).toEqual({ reason: 'idle' });
  });

  it('reports a missing file and a file that is not a vault clearly', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    expectCode(() => Vault.open(`${dir.path}/missing.mzv`), 'VAULT_NOT_FOUND');
    const other = new Database(`${dir.path}/other.db`);
    other.exec('CREATE TABLE t (x)');
    other.close();
    expectCode(() => Vault.open(`${dir.path}/other.db`), 'VAULT_DAMAGED', /not a MazeVault vault/);
  });

  it('says in its own words that a non-SQLite file is not a vault, without SQLite text', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const path = `${dir.path}/notes.mzv`;
    writeFileSync(path, 'These are meeting notes, not a vault. '.repeat(200));
    try {
      Vault.open(path);
      throw new Error('expected VAULT_DAMAGED');
    } catch (error) {
      expect(error).toMatchObject({ code: 'VAULT_DAMAGED' });
      const message = (error as Error).message;
      expect(message).toBe(
        `${path} is not a MazeVault vault, or it is damaged; check the path, or restore the ` +
          'vault from a backup.',
      );
      expect(message).not.toMatch(/database|sqlite|disk image/i);
    }
  });

  it('refuses an empty file as a vault and leaves it empty (newcomer finding)', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const path = `${dir.path}/empty.mzv`;
    writeFileSync(path, '');
    expect(() => Vault.open(path)).toThrow(/is empty, not a MazeVault vault/);
    expect(readFileSync(path).length).toBe(0);
  });

  it('refuses a folder given as the vault without a library message', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    try {
      Vault.open(dir.path);
      throw new Error('expected an error');
    } catch (error) {
      expect(error).toBeInstanceOf(MazeVaultError);
      expect((error as Error).message).not.toMatch(/SQLITE|unable to open database/i);
    }
  });
});

describe('the vault file permissions', () => {
  it('creates the vault and its WAL readable by the owner only, whatever the umask', async () => {
    const previous = process.umask(0o022);
    try {
      const t = await tempVault();
      cleanups.push(t.cleanup);
      t.vault.record({ action: 'test.event', subject: 'x', outcome: 'success' });
      expect(statSync(t.path).mode & 0o777).toBe(0o600);
      expect(existsSync(`${t.path}-wal`)).toBe(true);
      expect(statSync(`${t.path}-wal`).mode & 0o777).toBe(0o600);
      expect(statSync(`${t.path}-shm`).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });
});
