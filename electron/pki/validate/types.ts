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
  /** The certificates trusted as anchors; a path must end in one of them. */
  trustAnchors: Buffer[];
  /** CRLs to check revocation against; certificates without a CRL here are not checked. */
  crls?: Buffer[];
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

export interface ValidationCheck {
  /** The check's name, e.g. `validity`, `signature`, `basic-constraints`. */
  check: string;
  /** The subject DN of the certificate checked (or of the leaf for path-wide checks). */
  certificate: string;
  ok: boolean;
  detail: string;
}

export interface ValidationResult {
  valid: boolean;
  /** Leaf first, trust anchor last; the path that was judged (the best attempt on failure). */
  chain: { subject: string; sha256: string }[];
  checks: ValidationCheck[];
  /** What failed and on which certificate, in an officer's words. */
  firstFailure?: string;
}
