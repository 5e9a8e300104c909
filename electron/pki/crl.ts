// CRLs per issuing CA (RFC 5280 §5): the CA's CRL policy, a CRL number that only grows, complete
// and delta CRLs, signed through KeyService.sign by whichever store holds the CA key. Entries are
// read in pages and encoded in chunks with a turn of the event loop between them, so a CRL of
// 100,000 entries does not hold the window.
import { createHash, randomUUID } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { defaultSignatureAlgorithm } from '../../shared/algorithms';
import { cryptoperiodWarning } from '../../shared/cryptoperiods';
import { MazeVaultError } from '../../shared/errors';
import { asCertId, asCrlId, type CertId, type CrlId } from '../../shared/ids';
import { isRevocationReason } from '../../shared/revocation-reasons';
import { toPem } from '../formats/encode-pem';
import type { KeyService } from '../keys/service';
import type { Vault } from '../vault/vault';
import { certificateFacts } from './certificate-facts';
import type { CertificateService } from './certificates';
import { assembleSigned } from './certificate-builder';
import { encodeCrlExtensions, encodeEntry, encodeTbsCertList } from './crl-der';
import {
  attestedRevocations,
  checkAgainstAttestedRevocations,
  checkNoEntryDropped,
  checkPreviousCrlIsAttested,
  crlSerials,
  normalSerial,
  type RevocationEntryFacts,
} from './revocation-attestation';
import {
  signatureAlgorithmDer,
  signatureAlgorithmIdentifier,
  verifySignature,
} from './signature-algorithms';
import { checkCrlDistributionPoint } from './extensions';

/** Defaults when a CA has no CRL policy yet: a week for complete CRLs, a day for deltas. */
export const DEFAULT_CRL_NEXT_UPDATE_HOURS = 7 * 24;
export const DEFAULT_DELTA_NEXT_UPDATE_HOURS = 24;

/** Entries per page read from the vault and encoded between two yields to the event loop. */
const CHUNK = 2000;

export interface CrlPolicy {
  issuerCertId: CertId;
  nextUpdateHours: number;
  /** Hours until a delta CRL's nextUpdate; null when the CA issues no delta CRLs. */
  deltaNextUpdateHours: number | null;
  /** The URI put in the CRL distribution point of certificates this CA issues, when set. */
  distributionPoint: string | null;
  lastCrlNumber: number;
}

export interface CrlPolicyUpdate {
  nextUpdateHours?: number;
  deltaNextUpdateHours?: number | null;
  distributionPoint?: string | null;
}

export interface CrlRecord {
  id: CrlId;
  issuerCertId: CertId;
  crlNumber: number;
  /** The base CRL number for a delta CRL, null for a complete CRL. */
  baseCrlNumber: number | null;
  thisUpdate: string;
  nextUpdate: string;
  entries: number;
  sha256: string;
  createdAt: string;
}

export interface IssueCrlOptions {
  /** A delta CRL over the latest complete CRL of this CA (RFC 5280 §5.2.4). */
  delta?: boolean;
  /** thisUpdate; defaults to now. */
  now?: Date;
  onProgress?: (done: number, total: number) => void;
  /**
   * Delivers the signed CRL (writes the file, say) inside the transaction that stores it and
   * claims its number; when it throws, the CRL is neither stored nor audited. Synchronous.
   */
  deliver?: (der: Buffer) => void;
}

export interface IssuedCrl {
  crl: CrlRecord;
  der: Buffer;
  /** Cryptoperiod and similar warnings for the officer; the CRL was issued regardless. */
  warnings: string[];
}

interface PolicyRow {
  issuer_cert_id: string;
  next_update_hours: number;
  delta_next_update_hours: number | null;
  distribution_point: string | null;
  last_crl_number: number;
}

interface CrlRow {
  id: string;
  issuer_cert_id: string;
  crl_number: number;
  base_crl_number: number | null;
  this_update: string;
  next_update: string;
  entries: number;
  revocation_seq: number;
  sha256: string;
  created_at: string;
}

interface EntryRow {
  seq: number;
  serial: string;
  revoked_at: string | null;
  revocation_reason: string | null;
  invalidity_date: string | null;
}

const CRL_COLUMNS =
  'id, issuer_cert_id, crl_number, base_crl_number, this_update, next_update, entries, revocation_seq, sha256, created_at';

/** A CRL as a relying party loads it: DER, or PEM with the RFC 7468 "X509 CRL" label. */
export function encodeCrl(der: Buffer, format: 'pem' | 'der'): Buffer {
  if (format === 'der') return der;
  if (format === 'pem') return Buffer.from(toPem('X509 CRL', der), 'ascii');
  throw new MazeVaultError(
    'INVALID_INPUT',
    `Unknown CRL format "${String(format)}"; use pem or der.`,
  );
}

function toRecord(row: CrlRow): CrlRecord {
  return {
    id: asCrlId(row.id),
    issuerCertId: asCertId(row.issuer_cert_id),
    crlNumber: row.crl_number,
    baseCrlNumber: row.base_crl_number,
    thisUpdate: row.this_update,
    nextUpdate: row.next_update,
    entries: row.entries,
    sha256: row.sha256,
    createdAt: row.created_at,
  };
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function checkHours(value: number, what: string): void {
  // RFC 5280 §5.1.2.5 sets no bound; a year keeps a typo from publishing a CRL nobody refreshes.
  if (!Number.isInteger(value) || value < 1 || value > 366 * 24) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `The ${what} must be a whole number of hours from 1 to 8784, not ${value}.`,
    );
  }
}

export class CrlService {
  constructor(
    private readonly vault: Vault,
    private readonly keys: KeyService,
    private readonly certificates: CertificateService,
  ) {}

  policy(issuerCertId: string): CrlPolicy {
    const issuer = this.certificates.get(issuerCertId);
    const row = this.vault.db
      .prepare('SELECT * FROM crl_policies WHERE issuer_cert_id = ?')
      .get(issuer.id) as PolicyRow | undefined;
    return {
      issuerCertId: issuer.id,
      nextUpdateHours: row?.next_update_hours ?? DEFAULT_CRL_NEXT_UPDATE_HOURS,
      deltaNextUpdateHours: row?.delta_next_update_hours ?? null,
      distributionPoint: row?.distribution_point ?? null,
      lastCrlNumber: row?.last_crl_number ?? 0,
    };
  }

  /** The CDP URI issuance should put in certificates of this CA (RFC 5280 §4.2.1.13), if any. */
  distributionPoint(issuerCertId: string): string | undefined {
    const row = this.vault.db
      .prepare('SELECT distribution_point FROM crl_policies WHERE issuer_cert_id = ?')
      .get(issuerCertId) as { distribution_point: string | null } | undefined;
    return row?.distribution_point ?? undefined;
  }

  setPolicy(issuerCertId: string, update: CrlPolicyUpdate): CrlPolicy {
    const issuer = this.requireCa(issuerCertId);
    const current = this.policy(issuer.id);
    const next = {
      nextUpdateHours: update.nextUpdateHours ?? current.nextUpdateHours,
      deltaNextUpdateHours:
        update.deltaNextUpdateHours === undefined
          ? current.deltaNextUpdateHours
          : update.deltaNextUpdateHours,
      distributionPoint:
        update.distributionPoint === undefined
          ? current.distributionPoint
          : update.distributionPoint,
    };
    checkHours(next.nextUpdateHours, 'CRL update interval');
    if (next.deltaNextUpdateHours !== null) {
      checkHours(next.deltaNextUpdateHours, 'delta CRL update interval');
    }
    if (next.distributionPoint !== null) checkCrlDistributionPoint(next.distributionPoint);
    this.vault.transaction(() => {
      this.vault.db
        .prepare(
          `INSERT INTO crl_policies (issuer_cert_id, next_update_hours, delta_next_update_hours, distribution_point,
             last_crl_number, updated_at)
           VALUES (@id, @hours, @delta, @cdp, 0, @now)
           ON CONFLICT (issuer_cert_id) DO UPDATE SET next_update_hours = @hours, delta_next_update_hours = @delta,
             distribution_point = @cdp, updated_at = @now`,
        )
        .run({
          id: issuer.id,
          hours: next.nextUpdateHours,
          delta: next.deltaNextUpdateHours,
          cdp: next.distributionPoint,
          now: new Date().toISOString(),
        });
      this.vault.record({
        action: 'crl.policy',
        subject: issuer.id,
        outcome: 'success',
        details: next,
      });
    });
    return this.policy(issuer.id);
  }

  /**
   * Builds, signs and stores the next CRL of a CA. Every certificate revoked under this CA's name
   * and key is listed, including those issued under an earlier certificate of the same CA key.
   */
  async issue(issuerCertId: string, options: IssueCrlOptions = {}): Promise<IssuedCrl> {
    const issuer = this.requireCa(issuerCertId);
    if (!issuer.keyId) {
      throw new MazeVaultError(
        'NOT_FOUND',
        `The private key of "${issuer.subject}" is not in this vault; connect its HSM or import it to issue a CRL.`,
      );
    }
    // Before the entries are read and encoded: a token without its PIN refuses here, not at the end.
    const key = await this.keys.prepareToSign(issuer.keyId, `CRL for ${issuer.subject}`);
    const facts = certificateFacts(this.certificates.der(issuer.id));
    const policy = this.policy(issuer.id);
    const thisUpdate = new Date(Math.floor((options.now ?? new Date()).getTime() / 1000) * 1000);

    let base: CrlRow | undefined;
    if (options.delta) {
      base = this.latestRow(issuer.id, 'complete');
      if (!base) {
        throw new MazeVaultError(
          'INVALID_INPUT',
          `"${issuer.subject}" has no complete CRL yet; issue one before a delta CRL.`,
        );
      }
    }
    const hours = options.delta
      ? (policy.deltaNextUpdateHours ?? DEFAULT_DELTA_NEXT_UPDATE_HOURS)
      : policy.nextUpdateHours;
    const nextUpdate = new Date(thisUpdate.getTime() + hours * 3_600_000);

    // The number is planned, not taken: it is claimed together with storing the CRL, only after
    // the signature verified, so a refused PIN or an unwritable file leaves no gap and no record.
    const crlNumber = policy.lastCrlNumber + 1;
    const { upToSeq, issuerIds } = this.vault.transaction(() => ({
      upToSeq: (
        this.vault.db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM revocation_log').get() as {
          seq: number;
        }
      ).seq,
      issuerIds: this.sameCaCertificates(issuer.id),
    }));

    const total = this.countEntries(issuerIds, base?.revocation_seq ?? 0, upToSeq);
    const entries: Buffer[] = [];
    const listed = new Map<string, RevocationEntryFacts>();
    for (const id of issuerIds) {
      let after = base?.revocation_seq ?? 0;
      for (;;) {
        const rows = this.entryPage(id, after, upToSeq);
        for (const row of rows) {
          listed.set(normalSerial(row.serial), {
            revokedAt: row.revoked_at,
            reason: row.revocation_reason,
            invalidityDate: row.invalidity_date,
          });
          entries.push(
            encodeEntry({
              serialHex: row.serial,
              revokedAt: new Date(row.revoked_at ?? thisUpdate),
              reason: isRevocationReason(row.revocation_reason) ? row.revocation_reason : null,
              invalidityDate: row.invalidity_date ? new Date(row.invalidity_date) : null,
            }),
          );
        }
        options.onProgress?.(entries.length, total);
        if (rows.length < CHUNK) break;
        after = rows.at(-1)!.seq;
        await yieldToEventLoop();
      }
    }

    if (!base) await this.checkNothingDropped(issuer, issuerIds, listed, thisUpdate);

    const algorithm = defaultSignatureAlgorithm(key.algorithm);
    const tbs = encodeTbsCertList({
      signatureAlgorithm: signatureAlgorithmDer(algorithm),
      issuerName: Buffer.from(AsnConvert.serialize(facts.certificate.tbsCertificate.subject)),
      thisUpdate,
      nextUpdate,
      entries,
      extensions: encodeCrlExtensions({
        authorityKeyIdentifier: facts.keyIdentifier,
        crlNumber,
        ...(base ? { baseCrlNumber: base.crl_number } : {}),
      }),
    });
    await yieldToEventLoop();
    const kind = base ? 'delta CRL' : 'CRL';
    const signature = await this.keys.sign(
      key.id,
      algorithm,
      tbs,
      `${kind} #${crlNumber} for ${issuer.subject}`,
    );
    if (!verifySignature(key.publicKey, signatureAlgorithmIdentifier(algorithm), tbs, signature)) {
      throw new MazeVaultError(
        'PROVIDER_ERROR',
        `The signature from key "${key.label}" does not verify with its public key; the CRL was not stored.`,
      );
    }
    const der = assembleSigned(tbs, signatureAlgorithmDer(algorithm), signature);
    await yieldToEventLoop();

    const id = `crl_${randomUUID()}`;
    const sha256 = createHash('sha256').update(der).digest('hex');
    const crl = this.vault.transaction(() => {
      this.claimCrlNumber(issuer.id, crlNumber, issuer.subject);
      this.vault.db
        .prepare(
          `INSERT INTO issued_crls (${CRL_COLUMNS}, der)
           VALUES (@id, @issuer, @number, @base, @thisUpdate, @nextUpdate, @entries, @seq, @sha256, @now, @der)`,
        )
        .run({
          id,
          issuer: issuer.id,
          number: crlNumber,
          base: base?.crl_number ?? null,
          thisUpdate: thisUpdate.toISOString(),
          nextUpdate: nextUpdate.toISOString(),
          entries: entries.length,
          seq: upToSeq,
          sha256,
          now: new Date().toISOString(),
          der,
        });
      this.vault.record({
        action: base ? 'crl.issue-delta' : 'crl.issue',
        subject: issuer.id,
        outcome: 'success',
        details: {
          crlNumber,
          ...(base ? { baseCrlNumber: base.crl_number } : {}),
          entries: entries.length,
          thisUpdate: thisUpdate.toISOString(),
          nextUpdate: nextUpdate.toISOString(),
          sha256,
          keyId: key.id,
        },
      });
      // Inside the transaction: if the caller cannot deliver the CRL, nothing is stored or audited.
      options.deliver?.(der);
      return this.get(id);
    });
    const warning = cryptoperiodWarning(key, `sign ${kind} #${crlNumber}`);
    return { crl, der, warnings: warning ? [warning] : [] };
  }

  list(issuerCertId?: string, options: { limit?: number; offset?: number } = {}): CrlRecord[] {
    const limit = Math.min(options.limit ?? 100, 1000);
    const offset = options.offset ?? 0;
    const rows = issuerCertId
      ? this.vault.db
          .prepare(
            `SELECT ${CRL_COLUMNS} FROM issued_crls WHERE issuer_cert_id = ? ORDER BY crl_number DESC LIMIT ? OFFSET ?`,
          )
          .all(issuerCertId, limit, offset)
      : this.vault.db
          .prepare(
            `SELECT ${CRL_COLUMNS} FROM issued_crls ORDER BY created_at DESC LIMIT ? OFFSET ?`,
          )
          .all(limit, offset);
    return (rows as CrlRow[]).map(toRecord);
  }

  get(id: string): CrlRecord {
    const row = this.vault.db
      .prepare(`SELECT ${CRL_COLUMNS} FROM issued_crls WHERE id = ?`)
      .get(id) as CrlRow | undefined;
    if (!row) throw new MazeVaultError('NOT_FOUND', `No CRL with id ${id} in this vault.`);
    return toRecord(row);
  }

  latest(issuerCertId: string, kind: 'complete' | 'delta' = 'complete'): CrlRecord | undefined {
    const row = this.latestRow(issuerCertId, kind);
    return row ? toRecord(row) : undefined;
  }

  /**
   * The DER of the newest complete CRL of every CA in the vault that has issued one, for path
   * validation to check revocation against what this vault published.
   */
  currentCrls(): Buffer[] {
    const rows = this.vault.db
      .prepare(
        `SELECT l.der FROM issued_crls l WHERE l.base_crl_number IS NULL AND l.crl_number = (
           SELECT MAX(n.crl_number) FROM issued_crls n WHERE n.issuer_cert_id = l.issuer_cert_id AND n.base_crl_number IS NULL)`,
      )
      .all() as { der: Buffer }[];
    return rows.map((row) => row.der);
  }

  der(id: string): Buffer {
    const row = this.vault.db.prepare('SELECT der FROM issued_crls WHERE id = ?').get(id) as
      { der: Buffer } | undefined;
    if (!row) throw new MazeVaultError('NOT_FOUND', `No CRL with id ${id} in this vault.`);
    return row.der;
  }

  /** The CRL as a relying party loads it: DER, or PEM with the RFC 7468 "X509 CRL" label. */
  export(id: string, format: 'pem' | 'der'): Buffer {
    return encodeCrl(this.der(id), format);
  }

  /**
   * RFC 5280 §5.2.3: CRL numbers only grow and are never reused. The number planned before signing
   * is claimed here, in the storing transaction; if another CRL took it meanwhile, this one is
   * discarded rather than published with a duplicate or out-of-order number.
   */
  private claimCrlNumber(issuerCertId: CertId, planned: number, subject: string): void {
    this.vault.db
      .prepare(
        `INSERT INTO crl_policies (issuer_cert_id, next_update_hours, last_crl_number, updated_at)
         VALUES (?, ?, 0, ?) ON CONFLICT (issuer_cert_id) DO NOTHING`,
      )
      .run(issuerCertId, DEFAULT_CRL_NEXT_UPDATE_HOURS, new Date().toISOString());
    const claimed = this.vault.db
      .prepare(
        `UPDATE crl_policies SET last_crl_number = ? WHERE issuer_cert_id = ? AND last_crl_number = ?`,
      )
      .run(planned, issuerCertId, planned - 1);
    if (claimed.changes !== 1) {
      throw new MazeVaultError(
        'BUSY',
        `Another CRL of "${subject}" took number ${planned} while this one was being signed; ` +
          'this one was discarded. Issue the CRL again.',
      );
    }
  }

  /**
   * Before a complete CRL is signed: it must list every revocation the MACed audit trail attests
   * for this CA, as attested, and keep every unexpired entry of the CA's last complete CRL
   * (RFC 5280 §3.3). Either failing means the rows were edited in the file without the passphrase.
   */
  private async checkNothingDropped(
    issuer: { id: CertId; subject: string },
    issuerIds: readonly CertId[],
    listed: ReadonlyMap<string, RevocationEntryFacts>,
    thisUpdate: Date,
  ): Promise<void> {
    checkAgainstAttestedRevocations(attestedRevocations(this.vault, issuerIds), listed);
    const previous = this.vault.db
      .prepare(
        `SELECT der, crl_number AS crlNumber, sha256 FROM issued_crls
           WHERE issuer_cert_id = ? AND base_crl_number IS NULL ORDER BY crl_number DESC LIMIT 1`,
      )
      .get(issuer.id) as { der: Buffer; crlNumber: number; sha256: string } | undefined;
    checkPreviousCrlIsAttested(this.vault, issuer.id, issuer.subject, previous);
    if (!previous) return;
    const serials = await crlSerials(previous.der);
    checkNoEntryDropped(this.vault, issuerIds, serials, listed, thisUpdate, issuer.subject);
  }

  private requireCa(issuerCertId: string) {
    const issuer = this.certificates.get(issuerCertId);
    if (!issuer.isCa) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        `"${issuer.subject}" is not a CA certificate, so it issues no CRLs.`,
      );
    }
    return issuer;
  }

  private latestRow(issuerCertId: string, kind: 'complete' | 'delta'): CrlRow | undefined {
    const condition =
      kind === 'complete' ? 'base_crl_number IS NULL' : 'base_crl_number IS NOT NULL';
    return this.vault.db
      .prepare(
        `SELECT ${CRL_COLUMNS} FROM issued_crls WHERE issuer_cert_id = ? AND ${condition}
         ORDER BY crl_number DESC LIMIT 1`,
      )
      .get(issuerCertId) as CrlRow | undefined;
  }

  /**
   * RFC 5280 §5: a CRL covers the certificates its issuer signed, named by its name and key. Every
   * vault certificate with this CA's subject and public key is the same CA (a renewal with the
   * same key, a cross-certificate), and what any of them issued belongs on this CRL.
   */
  private sameCaCertificates(issuerCertId: string): CertId[] {
    const rows = this.vault.db
      .prepare(
        `SELECT c.id FROM certificates c JOIN certificates me ON me.id = ?
         WHERE c.spki_sha256 = me.spki_sha256 AND c.subject = me.subject AND c.is_ca = 1`,
      )
      .all(issuerCertId) as { id: string }[];
    return rows.map((row) => asCertId(row.id));
  }

  private countEntries(issuerIds: readonly string[], afterSeq: number, upToSeq: number): number {
    const statement = this.vault.db.prepare(
      `SELECT COUNT(*) AS n FROM revocation_log WHERE issuer_cert_id = ? AND seq > ? AND seq <= ?`,
    );
    let total = 0;
    for (const id of issuerIds) total += (statement.get(id, afterSeq, upToSeq) as { n: number }).n;
    return total;
  }

  private entryPage(issuerId: string, afterSeq: number, upToSeq: number): EntryRow[] {
    return this.vault.db
      .prepare(
        `SELECT l.seq, c.serial, c.revoked_at, c.revocation_reason, c.invalidity_date
         FROM revocation_log l JOIN certificates c ON c.id = l.cert_id
         WHERE l.issuer_cert_id = ? AND l.seq > ? AND l.seq <= ? AND c.status = 'revoked'
         ORDER BY l.seq LIMIT ${CHUNK}`,
      )
      .all(issuerId, afterSeq, upToSeq) as EntryRow[];
  }
}
