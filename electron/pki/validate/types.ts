// The public shape of certification path validation: what the caller gives and what it gets.
import type { KeyUsageName } from './certificate';

export type { KeyUsageName };

export type Purpose =
  | 'server-auth'
  | 'client-auth'
  | 'code-signing'
  | 'email-protection'
  | 'time-stamping'
  | 'ocsp-signing'
  | 'any';

export interface PeerName {
  kind: 'DNS' | 'IP' | 'RFC822';
  value: string;
}

export interface ValidationInput {
  /** The end-entity certificate, DER (a single PEM block is accepted too). */
  leaf: Buffer;
  /** Untrusted certificates chain building may use. */
  intermediates: Buffer[];
  /**
   * The certificates trusted as anchors; a path must end in one of them. With a `source`, the
   * report says where the anchor's trust comes from (a vault CA, the officer's mark, a file).
   */
  trustAnchors: (Buffer | TrustAnchor)[];
  /** CRLs to check revocation against; certificates without a CRL here are not checked. */
  crls?: Buffer[];
  /**
   * Revocation the caller knows first-hand, such as the vault's own records for the CAs it runs:
   * consulted before the CRLs, so a revocation counts even before a CRL lists it.
   */
  revocationRecords?: RevocationRecords;
  /** The moment the path must be valid at. */
  at: Date;
  /** Extended key usage the leaf must allow (RFC 5280 §4.2.1.12); 'any' by default. */
  purpose?: Purpose;
  /** The name the leaf must be issued for, matched against its subjectAltName only. */
  peerName?: PeerName;
  /** The most CA certificates between leaf and anchor; self-issued ones are not counted. */
  maxDepth?: number;
  /** Key usage bits the leaf must assert when it has a keyUsage extension. */
  requiredKeyUsage?: KeyUsageName[];
}

export interface TrustAnchor {
  der: Buffer;
  /** Where its trust comes from, in words: "a CA of this vault", "--trust root.pem"… */
  source: string;
}

/** What a first-hand source knows of one certificate's revocation. */
export type RecordedRevocation =
  | { known: false }
  | { known: true; revoked: false }
  | { known: true; revoked: true; revokedAt: Date; reason: string };

export interface RevocationRecords {
  /** What this source calls itself in a check's detail, e.g. "this vault's revocation records". */
  name: string;
  /**
   * The status of the certificate with this serial (hex, no leading zeros) issued under the CA
   * key whose SPKI has this SHA-256; undefined when the source does not speak for that CA.
   */
  lookup(issuerSpkiSha256: string, serialHex: string): RecordedRevocation | undefined;
}

/** ok: passed; fail: failed, so the path is invalid; unknown: could not be done (a warning). */
export type CheckStatus = 'ok' | 'fail' | 'unknown';

export interface ValidationCheck {
  /** The check's name, e.g. `validity`, `signature`, `basic-constraints`. */
  check: string;
  /** The subject DN of the certificate checked (or of the leaf for path-wide checks). */
  certificate: string;
  /** False only when the check failed; a check that could not be done is ok but `unknown`. */
  ok: boolean;
  status: CheckStatus;
  detail: string;
}

export interface ValidationResult {
  valid: boolean;
  /** Leaf first, trust anchor last; the path that was judged (the best attempt on failure). */
  chain: { subject: string; sha256: string }[];
  checks: ValidationCheck[];
  /** What failed and on which certificate, in an officer's words. */
  firstFailure?: string;
  /** The anchor the path ends in, and where its trust comes from. */
  anchor?: { subject: string; sha256: string; source: string };
  /** Checks that could not be done on a valid path, in words ("revocation was not checked…"). */
  warnings: string[];
}
