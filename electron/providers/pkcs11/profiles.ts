// Connection profiles: a name, a preset and a module path, stored in the vault (migration 20).
// Remembered PINs are sealed secrets, written only when the officer asks for it.
import { randomUUID } from 'node:crypto';
import { MazeVaultError } from '../../../shared/errors';
import type { Vault } from '../../vault/vault';
import { PRESET_IDS, PRESETS, type PresetId } from './presets';

export interface Pkcs11Profile {
  id: string;
  name: string;
  preset: PresetId;
  modulePath: string;
  timeoutMs: number;
  createdAt: string;
  updatedAt: string;
}

interface ProfileRow {
  id: string;
  name: string;
  preset: string;
  module_path: string;
  timeout_ms: number;
  created_at: string;
  updated_at: string;
}

const PIN_KIND = 'pkcs11-user-pin';

function toProfile(row: ProfileRow): Pkcs11Profile {
  return {
    id: row.id,
    name: row.name,
    preset: row.preset as PresetId,
    modulePath: row.module_path,
    timeoutMs: row.timeout_ms,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function listProfiles(vault: Vault): Pkcs11Profile[] {
  return (
    vault.db.prepare('SELECT * FROM pkcs11_profiles ORDER BY name').all() as ProfileRow[]
  ).map(toProfile);
}

/** A profile by id or by name (the CLI names profiles, the window passes ids). */
export function getProfile(vault: Vault, idOrName: string): Pkcs11Profile {
  const row = vault.db
    .prepare('SELECT * FROM pkcs11_profiles WHERE id = ? OR name = ?')
    .get(idOrName, idOrName) as ProfileRow | undefined;
  if (!row) {
    throw new MazeVaultError(
      'NOT_FOUND',
      `No PKCS#11 connection profile "${idOrName}"; create it first.`,
    );
  }
  return toProfile(row);
}

export function saveProfile(
  vault: Vault,
  input: { id?: string; name: string; preset: PresetId; modulePath: string; timeoutMs?: number },
): Pkcs11Profile {
  const name = input.name.trim();
  if (!name || name.includes(':')) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      'A profile needs a name without ":" (it is used in pkcs11:PROFILE).',
    );
  }
  if (!PRESET_IDS.includes(input.preset)) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `Unknown preset ${input.preset}; use one of ${PRESET_IDS.join(', ')}.`,
    );
  }
  const timeoutMs = input.timeoutMs ?? PRESETS[input.preset].timeoutMs;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1_000 || timeoutMs > 600_000) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      'The call timeout must be between 1 and 600 seconds.',
    );
  }
  const now = new Date().toISOString();
  const id = input.id ?? `p11_${randomUUID()}`;
  const clash = vault.db
    .prepare('SELECT id FROM pkcs11_profiles WHERE name = ? AND id <> ?')
    .get(name, id);
  if (clash) throw new MazeVaultError('DUPLICATE', `A profile named "${name}" already exists.`);
  vault.transaction(() => {
    vault.db
      .prepare(
        `INSERT INTO pkcs11_profiles (id, name, preset, module_path, timeout_ms, created_at, updated_at)
         VALUES (@id, @name, @preset, @modulePath, @timeoutMs, @now, @now)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, preset = excluded.preset,
           module_path = excluded.module_path, timeout_ms = excluded.timeout_ms, updated_at = excluded.updated_at`,
      )
      .run({ id, name, preset: input.preset, modulePath: input.modulePath, timeoutMs, now });
    vault.record({
      action: 'pkcs11.profile-save',
      subject: id,
      outcome: 'success',
      details: { name, preset: input.preset, modulePath: input.modulePath },
    });
  });
  return getProfile(vault, id);
}

export function deleteProfile(vault: Vault, id: string): void {
  const profile = getProfile(vault, id);
  vault.transaction(() => {
    for (const serial of rememberedSerials(vault, profile.id)) forgetPin(vault, profile.id, serial);
    vault.db.prepare('DELETE FROM pkcs11_profiles WHERE id = ?').run(profile.id);
    vault.record({
      action: 'pkcs11.profile-delete',
      subject: profile.id,
      outcome: 'success',
      details: { name: profile.name },
    });
  });
}

const pinOwner = (profileId: string, serial: string): string => `${profileId}/${serial}`;

export function rememberPin(vault: Vault, profileId: string, serial: string, pin: string): void {
  vault.transaction(() => {
    forgetPin(vault, profileId, serial);
    const plaintext = Buffer.from(pin, 'utf8');
    const secretId = vault.sealSecret(
      'pkcs11_profiles',
      pinOwner(profileId, serial),
      PIN_KIND,
      plaintext,
    );
    plaintext.fill(0);
    vault.db
      .prepare(
        'INSERT INTO pkcs11_remembered_pins (profile_id, token_serial, secret_id, created_at) VALUES (?, ?, ?, ?)',
      )
      .run(profileId, serial, secretId, new Date().toISOString());
  });
}

export function rememberedPin(vault: Vault, profileId: string, serial: string): string | undefined {
  const row = vault.db
    .prepare(
      'SELECT secret_id FROM pkcs11_remembered_pins WHERE profile_id = ? AND token_serial = ?',
    )
    .get(profileId, serial) as { secret_id: number } | undefined;
  if (!row) return undefined;
  const plaintext = vault.openSecret(row.secret_id, {
    ownerTable: 'pkcs11_profiles',
    ownerId: pinOwner(profileId, serial),
    kind: PIN_KIND,
  });
  try {
    return plaintext.toString('utf8');
  } finally {
    plaintext.fill(0);
  }
}

export function forgetPin(vault: Vault, profileId: string, serial: string): void {
  const row = vault.db
    .prepare(
      'SELECT secret_id FROM pkcs11_remembered_pins WHERE profile_id = ? AND token_serial = ?',
    )
    .get(profileId, serial) as { secret_id: number } | undefined;
  if (!row) return;
  vault.db
    .prepare('DELETE FROM pkcs11_remembered_pins WHERE profile_id = ? AND token_serial = ?')
    .run(profileId, serial);
  vault.destroySecret(row.secret_id);
}

function rememberedSerials(vault: Vault, profileId: string): string[] {
  return (
    vault.db
      .prepare('SELECT token_serial FROM pkcs11_remembered_pins WHERE profile_id = ?')
      .all(profileId) as {
      token_serial: string;
    }[]
  ).map((row) => row.token_serial);
}
