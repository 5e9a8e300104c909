// AES-256-GCM sealing of vault records. Each record gets a fresh 96-bit nonce, and its identity
// (table, id, version, owner, kind) is the additional authenticated data, so a ciphertext copied
// to another row, or one flipped bit, fails to open.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { MazeVaultError } from '../../shared/errors';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export interface SealedBox {
  nonce: Buffer;
  /** Ciphertext followed by the 16-byte GCM tag. */
  ciphertext: Buffer;
}

export function seal(key: Buffer, plaintext: Buffer, aad: string): SealedBox {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { nonce, ciphertext: Buffer.concat([body, cipher.getAuthTag()]) };
}

/** Returns the plaintext, or undefined when the box does not authenticate under this key and AAD. */
export function tryOpen(key: Buffer, box: SealedBox, aad: string): Buffer | undefined {
  if (box.nonce.length !== NONCE_BYTES || box.ciphertext.length < TAG_BYTES) return undefined;
  const body = box.ciphertext.subarray(0, box.ciphertext.length - TAG_BYTES);
  const tag = box.ciphertext.subarray(box.ciphertext.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, box.nonce);
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    return undefined;
  }
}

export interface RecordIdentity {
  id: number;
  version: number;
  ownerTable: string;
  ownerId: string;
  kind: string;
}

export function recordAad(record: RecordIdentity): string {
  return [
    'mazevault/v1',
    'secrets',
    record.id,
    record.version,
    record.ownerTable,
    record.ownerId,
    record.kind,
  ].join('|');
}

export function openRecord(key: Buffer, box: SealedBox, record: RecordIdentity): Buffer {
  const plaintext = tryOpen(key, box, recordAad(record));
  if (!plaintext) {
    throw new MazeVaultError(
      'RECORD_DAMAGED',
      `Vault record ${record.id} is damaged: its ciphertext does not authenticate. ` +
        'Restore the vault from a backup.',
    );
  }
  return plaintext;
}

/** Overwrites a buffer that held secret material; a best effort in a garbage-collected runtime. */
export function wipe(buffer: Buffer | undefined): void {
  buffer?.fill(0);
}
