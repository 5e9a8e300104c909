// What a file holds, described for the officer before anything is imported: certificates with
// fingerprints and their key, keys by public-key hash, CRLs, and which of them the vault already
// has. Reads the vault, never writes it. Private keys are described, never shown.
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { MazeVaultError, toErrorPayload } from '../../shared/errors';
import { certificateFacts } from '../pki/certificate-facts';
import { parseCrl } from '../pki/validate/crl';
import type { Vault } from '../vault/vault';
import type { Bundle, BundlePrivateKey } from './bundle';
import { decode, type DecodeSecrets } from './decode';
import { PasswordNeededError } from './decode-errors';
import { detectFormat } from './detect';
import { crlSha256 } from './import-crls';
import type {
  FilePreview,
  ImportFile,
  PreviewCertificate,
  PreviewCrl,
  PreviewPrivateKey,
} from './import-types';

type Statement = ReturnType<Vault['db']['prepare']>;
const statements = new WeakMap<Vault['db'], Map<string, Statement>>();

/** A prepared statement kept per database: a 10,000-certificate preview asks the same questions. */
function statement(vault: Vault, sql: string): Statement {
  let cache = statements.get(vault.db);
  if (!cache) statements.set(vault.db, (cache = new Map()));
  let prepared = cache.get(sql);
  if (!prepared) cache.set(sql, (prepared = vault.db.prepare(sql)));
  return prepared;
}

function sha256(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

/** The SPKI of a plain PKCS#8 key, DER; undefined for a key Node cannot read. */
export function publicKeyOfPkcs8(pkcs8: Buffer): Buffer | undefined {
  try {
    const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    return createPublicKey(key).export({ format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
}

function keyType(pkcs8: Buffer): string {
  try {
    return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).asymmetricKeyType ?? '?';
  } catch {
    return 'unknown';
  }
}

export interface DecodedFile {
  file: ImportFile;
  preview: FilePreview;
  /** Present when the file decoded; holds plain private keys, so it never leaves the service. */
  bundle?: Bundle;
}

/** Decodes one file and describes it; a file that cannot be read is described, never thrown. */
export async function decodeForImport(
  vault: Vault,
  file: ImportFile,
  secrets: DecodeSecrets,
): Promise<DecodedFile> {
  const preview: FilePreview = {
    name: file.name,
    format: detectFormat(file.bytes),
    status: 'ready',
    certificates: [],
    privateKeys: [],
    crls: [],
    csrs: 0,
    warnings: [],
  };
  let bundle: Bundle;
  try {
    bundle = await decode(file.bytes, secrets);
  } catch (error) {
    preview.error = toErrorPayload(error);
    if (error instanceof PasswordNeededError) {
      preview.status = 'password';
      preview.passwordTarget = error.target;
      preview.passwordAttempted = error.attempted;
    } else {
      preview.status = 'failed';
      if (!(error instanceof MazeVaultError)) {
        preview.error = {
          code: 'MALFORMED',
          message: `${file.name} could not be read; it is damaged or not a certificate file.`,
        };
      }
    }
    return { file, preview };
  }

  preview.warnings.push(...bundle.warnings);
  preview.privateKeys = bundle.privateKeys.map((key) => describeKey(vault, key));
  const leafOwner = new Map<string, number>();
  preview.privateKeys.forEach((key, index) => {
    const leaf = key.chainSha256[0];
    if (leaf && !leafOwner.has(leaf)) leafOwner.set(leaf, index);
  });
  const keyBySpki = new Map<string, number>();
  preview.privateKeys.forEach((key, index) => {
    if (key.spkiSha256 && !keyBySpki.has(key.spkiSha256)) keyBySpki.set(key.spkiSha256, index);
  });
  preview.certificates = bundle.certificates.map((cert) => {
    const described = describeCertificate(vault, cert.der);
    if (cert.alias !== undefined) described.alias = cert.alias;
    if (cert.friendlyName !== undefined) described.friendlyName = cert.friendlyName;
    const keyIndex = leafOwner.get(described.sha256) ?? keyBySpki.get(described.spkiSha256);
    if (keyIndex !== undefined) described.keyIndex = keyIndex;
    return described;
  });
  preview.crls = bundle.crls.map((der) => describeCrl(vault, der));
  preview.csrs = bundle.csrs.length;
  return { file, preview, bundle };
}

export function describeCertificate(vault: Vault, der: Buffer): PreviewCertificate {
  try {
    const facts = certificateFacts(der);
    const described: PreviewCertificate = {
      subject: facts.subject,
      issuer: facts.issuer,
      serial: facts.serial,
      notBefore: facts.notBefore.toISOString(),
      notAfter: facts.notAfter.toISOString(),
      isCa: facts.isCa,
      sha256: facts.sha256,
      sha1: facts.sha1,
      spkiSha256: facts.spkiSha256,
    };
    const existing = statement(vault, 'SELECT id FROM certificates WHERE sha256 = ?').get(
      facts.sha256,
    ) as { id: string } | undefined;
    if (existing) described.inVault = existing.id;
    return described;
  } catch (error) {
    return {
      subject: '(unreadable certificate)',
      issuer: '',
      serial: '',
      notBefore: '',
      notAfter: '',
      isCa: false,
      sha256: sha256(der),
      sha1: createHash('sha1').update(der).digest('hex'),
      spkiSha256: '',
      problem: toErrorPayload(error).message,
    };
  }
}

function describeKey(vault: Vault, key: BundlePrivateKey): PreviewPrivateKey {
  const described: PreviewPrivateKey = {
    type: keyType(key.pkcs8),
    chainSha256: (key.chain ?? []).map(sha256),
  };
  if (key.alias !== undefined) described.alias = key.alias;
  if (key.friendlyName !== undefined) described.friendlyName = key.friendlyName;
  const spki = publicKeyOfPkcs8(key.pkcs8);
  if (!spki) {
    described.problem = 'The key cannot be read: its public half cannot be derived.';
    return described;
  }
  described.spkiSha256 = sha256(spki);
  const retired = retiredKeyBySpki(vault, described.spkiSha256);
  if (retired) {
    // NIST SP 800-57: a Destroyed key never returns, and a Compromised one is never used again;
    // a backup copy of it must not come back as a new, Active key.
    described.problem =
      `This key was marked ${retired.state === 'destroyed' ? 'Destroyed' : 'Compromised'} in this ` +
      `vault (${retired.id}, ${retired.changedAt.slice(0, 10)}); a retired key is never imported ` +
      'again. Use a new key.';
    return described;
  }
  if (described.type === 'dsa') {
    described.problem =
      'DSA keys can be inspected but not stored or used for signing here; the certificates in ' +
      'the file can still be imported.';
    return described;
  }
  const existing = findKeyBySpki(vault, described.spkiSha256);
  if (existing) described.inVault = existing;
  return described;
}

/** A key with this public key that left the lifecycle (Destroyed or Compromised) in this vault. */
export function retiredKeyBySpki(
  vault: Vault,
  spkiSha256: string,
): { id: string; state: 'destroyed' | 'compromised'; changedAt: string } | undefined {
  return statement(
    vault,
    `SELECT id, state, COALESCE(state_changed_at, created_at) AS changedAt FROM keys
      WHERE spki_sha256 = ? AND state IN ('destroyed', 'compromised')
      ORDER BY created_at LIMIT 1`,
  ).get(spkiSha256) as
    { id: string; state: 'destroyed' | 'compromised'; changedAt: string } | undefined;
}

/** A key with this public key whose material is still in the vault (destroyed keys do not count). */
export function findKeyBySpki(vault: Vault, spkiSha256: string): string | undefined {
  const row = statement(
    vault,
    `SELECT id FROM keys WHERE spki_sha256 = ? AND state <> 'destroyed'
     ORDER BY created_at LIMIT 1`,
  ).get(spkiSha256) as { id: string } | undefined;
  return row?.id;
}

function describeCrl(vault: Vault, der: Buffer): PreviewCrl {
  const fingerprint = crlSha256(der);
  const existing = vault.db
    .prepare('SELECT id FROM imported_crls WHERE sha256 = ?')
    .get(fingerprint) as { id: string } | undefined;
  try {
    const crl = parseCrl(der);
    return {
      issuer: crl.issuerText,
      thisUpdate: crl.thisUpdate.toISOString(),
      nextUpdate: crl.nextUpdate?.toISOString() ?? null,
      entries: crl.revoked.length,
      sha256: fingerprint,
      ...(existing ? { inVault: existing.id } : {}),
    };
  } catch (error) {
    return {
      issuer: '(unreadable CRL)',
      thisUpdate: '',
      nextUpdate: null,
      entries: 0,
      sha256: fingerprint,
      problem: error instanceof Error ? `This CRL cannot be read: ${error.message}.` : 'unreadable',
    };
  }
}
