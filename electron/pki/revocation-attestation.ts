// Revocations are columns of the certificates table, and a CRL is built from them; anyone who can
// write the vault file could "un-revoke" a certificate so that the next CRL silently drops it. The
// audit trail's attested cert.revoke events say what was really revoked, and the CRL this vault
// last published says what relying parties were already told: a new CRL must keep both.
import { createHash } from 'node:crypto';
import { ALTERED_FILE, attestedEventsByAction, newestAttestedEvent } from '../audit/attested';
import { MazeVaultError } from '../../shared/errors';
import type { Vault } from '../vault/vault';
import { certificateFacts } from './certificate-facts';
import { DER_TAG, DerError, readNode } from './validate/der';

/** A revocation as the attested cert.revoke event recorded it. */
export interface AttestedRevocation {
  certId: string;
  serial: string;
  subject: string;
  reason: string;
  revokedAt: string;
  invalidityDate: string | null;
}

/** What a CRL entry is built from: the certificate's revocation row. */
export interface RevocationEntryFacts {
  revokedAt: string | null;
  reason: string | null;
  invalidityDate: string | null;
}

const REVOKE_ACTION = 'cert.revoke';

/** Serial numbers compared as numbers: lower-case hex without leading zeros. */
export function normalSerial(hex: string): string {
  // Called for every entry of a CRL of 100,000: the common case returns without a regex.
  if (hex.charCodeAt(0) !== 0x30 && hex === hex.toLowerCase()) return hex;
  return hex.toLowerCase().replace(/^0+(?=.)/, '');
}

function sameTime(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return Date.parse(a) === Date.parse(b);
}

function toRevocation(certId: string, details: Record<string, unknown>): AttestedRevocation {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return {
    certId,
    serial: normalSerial(text(details.serial)),
    subject: text(details.subject),
    reason: text(details.reason),
    revokedAt: text(details.revokedAt),
    invalidityDate: typeof details.invalidityDate === 'string' ? details.invalidityDate : null,
  };
}

/**
 * The attested revocations of certificates issued under any of these CA certificates, one pass
 * over the trail's cert.revoke events. Events carry the issuer since this check exists; an older
 * event is attributed through the certificate's row (its issuer is not a security claim the
 * attacker gains by editing: moving the row also moves it off the CRL, which the check catches).
 */
export function attestedRevocations(
  vault: Vault,
  issuerIds: readonly string[],
): AttestedRevocation[] {
  const issuers = new Set(issuerIds);
  const issuerOfRow = vault.db.prepare('SELECT issuer_cert_id FROM certificates WHERE id = ?');
  const events = attestedEventsByAction(vault, REVOKE_ACTION, (event) => {
    const recorded = event.details.issuerCertId;
    if (typeof recorded === 'string') return issuers.has(recorded);
    const row = issuerOfRow.get(event.subject) as { issuer_cert_id: string | null } | undefined;
    return row?.issuer_cert_id ? issuers.has(row.issuer_cert_id) : false;
  });
  return events.map((event) => toRevocation(event.subject, event.details));
}

/** The attested revocation of one certificate, if any: one indexed look-up. */
export function attestedRevocationOf(vault: Vault, certId: string): AttestedRevocation | undefined {
  const event = newestAttestedEvent(vault, certId, [REVOKE_ACTION]);
  return event ? toRevocation(certId, event.details) : undefined;
}

function alteredCrl(what: string): MazeVaultError {
  return new MazeVaultError('VAULT_DAMAGED', `${what}: ${ALTERED_FILE} No CRL was issued.`);
}

/**
 * Refuses a complete CRL that would list a certificate the audit trail says is revoked
 * differently, or not at all.
 */
export function checkAgainstAttestedRevocations(
  attested: readonly AttestedRevocation[],
  entries: ReadonlyMap<string, RevocationEntryFacts>,
): void {
  for (const revocation of attested) {
    const entry = entries.get(revocation.serial);
    const name = `Certificate "${revocation.subject}" (serial ${revocation.serial}, ${revocation.certId})`;
    const recorded = `${revocation.reason}, ${revocation.revokedAt}`;
    if (!entry) {
      throw alteredCrl(
        `${name} was revoked (${recorded}) according to the audit trail, but the vault's records ` +
          'no longer list it as revoked, so the CRL would drop it',
      );
    }
    if (
      entry.reason !== revocation.reason ||
      !sameTime(entry.revokedAt, revocation.revokedAt) ||
      !sameTime(entry.invalidityDate, revocation.invalidityDate)
    ) {
      throw alteredCrl(
        `${name} was revoked (${recorded}) according to the audit trail, but the vault's ` +
          `records say ${entry.reason ?? 'no reason'}, ${entry.revokedAt ?? 'no time'}`,
      );
    }
  }
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Where an element's content starts and how long it is; DER definite lengths only. */
function header(input: Buffer, offset: number): { contentStart: number; length: number } {
  const first = input[offset + 1];
  if (first === undefined) throw new DerError('the CRL ends inside an element header');
  if (first < 0x80) return { contentStart: offset + 2, length: first };
  const octets = first & 0x7f;
  if (octets === 0 || octets > 4) throw new DerError('a CRL element has an unreadable length');
  let length = 0;
  for (let i = 0; i < octets; i += 1) length = length * 256 + input[offset + 2 + i];
  const contentStart = offset + 2 + octets;
  if (contentStart + length > input.length) throw new DerError('a CRL element runs past its end');
  return { contentStart, length };
}

/** The serial numbers a CRL lists, read straight from its DER, in chunks between yields. */
export async function crlSerials(der: Buffer, chunk = 2000): Promise<string[]> {
  const fields = readNode(readNode(der).value).value;
  const serials: string[] = [];
  let sequences = 0;
  for (let offset = 0; offset < fields.length;) {
    const field = readNode(fields, offset);
    offset += field.raw.length;
    if (field.tag !== DER_TAG.SEQUENCE) continue;
    // RFC 5280 §5.1: signature algorithm, issuer name, then revokedCertificates when present.
    sequences += 1;
    if (sequences !== 3) continue;
    const list = field.value;
    for (let at = 0; at < list.length;) {
      // Headers only, no sub-buffers: a CRL of 100,000 entries would otherwise make 400,000.
      const entry = header(list, at);
      if (list[entry.contentStart] !== DER_TAG.INTEGER) {
        throw new DerError('a CRL entry does not start with a serial number');
      }
      const serial = header(list, entry.contentStart);
      serials.push(
        normalSerial(
          list.toString('hex', serial.contentStart, serial.contentStart + serial.length),
        ),
      );
      at = entry.contentStart + entry.length;
      if (serials.length % chunk === 0) await yieldToEventLoop();
    }
  }
  return serials;
}

export interface PreviousCrl {
  der: Buffer;
  crlNumber: number;
  sha256: string;
}

/**
 * The latest complete CRL of this CA must be the one the audit trail says was issued last: a
 * CRL row removed or replaced in the file would take its entries out of the comparison below.
 */
export function checkPreviousCrlIsAttested(
  vault: Vault,
  issuerCertId: string,
  issuerSubject: string,
  previous: PreviousCrl | undefined,
): void {
  const issued = newestAttestedEvent(vault, issuerCertId, ['crl.issue']);
  if (!issued) return;
  const number = issued.details.crlNumber;
  const digest = previous ? createHash('sha256').update(previous.der).digest('hex') : undefined;
  if (
    !previous ||
    (typeof number === 'number' && previous.crlNumber < number) ||
    (previous.crlNumber === number && digest !== issued.details.sha256)
  ) {
    throw alteredCrl(
      `The audit trail records complete CRL #${String(number)} of "${issuerSubject}", but the ` +
        `vault's copy of it is ${previous ? 'different or older' : 'missing'}`,
    );
  }
}

/**
 * RFC 5280 §3.3: an entry stays on the CRL until the certificate expires. Every serial of the
 * previous complete CRL must be in the new one, unless that certificate's own notAfter (read from
 * its DER, not its row) is before the new CRL's thisUpdate.
 */
export function checkNoEntryDropped(
  vault: Vault,
  issuerIds: readonly string[],
  previousSerials: readonly string[],
  newSerials: { has(serial: string): boolean },
  thisUpdate: Date,
  issuerSubject: string,
): void {
  const certificate = vault.db.prepare(
    `SELECT id, der FROM certificates WHERE serial = ? AND issuer_cert_id IN (${issuerIds
      .map(() => '?')
      .join(', ')})`,
  );
  for (const serial of previousSerials) {
    if (newSerials.has(serial)) continue;
    const rows = [serial, `0${serial}`, `00${serial}`].flatMap(
      (candidate) => certificate.all(candidate, ...issuerIds) as { id: string; der: Buffer }[],
    );
    const expired = rows.some((row) => certificateFacts(row.der).notAfter < thisUpdate);
    if (expired) continue;
    const which = rows[0] ? `certificate ${rows[0].id}` : 'a certificate no longer in the vault';
    throw alteredCrl(
      `The last CRL of "${issuerSubject}" lists serial ${serial} (${which}), which has not ` +
        'expired, but the new CRL would drop it (RFC 5280 §3.3 keeps it until it expires)',
    );
  }
}
