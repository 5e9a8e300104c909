// A summary of everything in a file, without importing it: what `mazevault inspect` prints and
// the import wizard previews. Private keys are described (type, size, pairing), never shown.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { type ErrorPayload, MazeVaultError, toErrorPayload } from '../../../shared/errors';
import { type Bundle } from '../../formats/bundle';
import { children, parseDer, readOid } from '../../formats/decode-asn1';
import { type DecodeSecrets, decode } from '../../formats/decode';
import { PasswordNeededError, type PasswordTarget } from '../../formats/decode-errors';
import { looksLikePem, parsePem } from '../../formats/decode-pem';
import { type DetectedFormat, detectFormat } from '../../formats/detect';
import { type CertificateInspection, fingerprints, inspectCertificate } from './certificate';
import { type CrlInspection, inspectCrl } from './crl';
import { type CsrInspection, inspectCsr } from './csr';
import { KEY_ALGORITHMS } from './oids';
import { type PublicKeyInfo, readPublicKey } from './public-key';

export interface PrivateKeySummary {
  type: string;
  bits?: number;
  curve?: string;
  alias?: string;
  friendlyName?: string;
  localKeyId?: string;
  /** SHA-256 of the matching public key (SPKI), hex, when it can be derived. */
  publicKeySha256?: string;
  /** SHA-256 fingerprints of the chain the container pairs with the key, leaf first. */
  chainSha256: string[];
}

export interface FileInspection {
  format: DetectedFormat;
  pemBlocks?: { label: string; offset: number; encrypted: boolean }[];
  certificates: (CertificateInspection & {
    alias?: string;
    friendlyName?: string;
    localKeyId?: string;
  })[];
  privateKeys: PrivateKeySummary[];
  crls: CrlInspection[];
  csrs: CsrInspection[];
  publicKeys: PublicKeyInfo[];
  warnings: string[];
  /** Why the file could not be (fully) read: e.g. it needs a password. */
  error?: ErrorPayload & { passwordTarget?: PasswordTarget };
}

export async function inspectFile(
  bytes: Buffer,
  secrets: DecodeSecrets = {},
): Promise<FileInspection> {
  const format = detectFormat(bytes);
  const out: FileInspection = {
    format,
    certificates: [],
    privateKeys: [],
    crls: [],
    csrs: [],
    publicKeys: [],
    warnings: [],
  };
  if (format === 'pem' && looksLikePem(bytes)) {
    try {
      const blocks = parsePem(bytes);
      out.pemBlocks = blocks.map((b) => ({
        label: b.label,
        offset: b.offset,
        encrypted:
          b.label === 'ENCRYPTED PRIVATE KEY' || /ENCRYPTED/.test(b.headers['Proc-Type'] ?? ''),
      }));
      for (const block of blocks) {
        if (block.label === 'PUBLIC KEY' || block.label === 'RSA PUBLIC KEY') {
          addPublicKey(block.der, block.label === 'RSA PUBLIC KEY', out);
        }
      }
    } catch {
      // decode() below reports the same problem precisely.
    }
  }
  if (format === 'public-key') addPublicKey(bytes, classifyAsPkcs1(bytes), out);

  let bundle: Bundle;
  try {
    bundle = await decode(bytes, secrets);
  } catch (error) {
    if (
      out.publicKeys.length > 0 &&
      error instanceof MazeVaultError &&
      error.code === 'UNSUPPORTED'
    ) {
      return out;
    }
    out.error = {
      ...toErrorPayload(error),
      ...(error instanceof PasswordNeededError ? { passwordTarget: error.target } : {}),
    };
    return out;
  }

  out.warnings.push(...bundle.warnings);
  for (const cert of bundle.certificates) {
    out.certificates.push({
      ...safely(() => inspectCertificate(cert.der), cert.der, 'certificate'),
      alias: cert.alias,
      friendlyName: cert.friendlyName,
      localKeyId: cert.localKeyId,
    });
  }
  for (const key of bundle.privateKeys) out.privateKeys.push(summariseKey(key));
  for (const crl of bundle.crls) out.crls.push(safely(() => inspectCrl(crl), crl, 'CRL'));
  for (const csr of bundle.csrs) out.csrs.push(safely(() => inspectCsr(csr), csr, 'CSR'));
  return out;
}

/** A certificate that cannot be inspected at all still lists the error, not a crash. */
function safely<T>(read: () => T, der: Buffer, what: string): T {
  try {
    return read();
  } catch (error) {
    const message = error instanceof MazeVaultError ? error.message : `the ${what} cannot be read`;
    return {
      kind: what.toLowerCase(),
      problems: [message],
      fingerprints: fingerprints(der),
    } as unknown as T; // a deliberately partial object: only problems and fingerprints are known
  }
}

function classifyAsPkcs1(der: Buffer): boolean {
  try {
    return children(parseDer(der)).length === 2 && children(parseDer(der))[0]!.tagNumber === 2;
  } catch {
    return false;
  }
}

function addPublicKey(der: Buffer, pkcs1: boolean, out: FileInspection): void {
  try {
    const spki = pkcs1
      ? createPublicKey({ key: der, format: 'der', type: 'pkcs1' }).export({
          format: 'der',
          type: 'spki',
        })
      : der;
    out.publicKeys.push(readPublicKey(parseDer(spki)));
  } catch (error) {
    out.warnings.push(
      error instanceof MazeVaultError
        ? `A public key cannot be read: ${error.message}`
        : 'A public key cannot be read.',
    );
  }
}

function summariseKey(key: Bundle['privateKeys'][number]): PrivateKeySummary {
  const summary: PrivateKeySummary = {
    type: 'unknown',
    alias: key.alias,
    friendlyName: key.friendlyName,
    localKeyId: key.localKeyId,
    chainSha256: (key.chain ?? []).map((der) => fingerprints(der).sha256),
  };
  try {
    const algorithm = children(children(parseDer(key.pkcs8))[1]!)[0]!;
    const oid = readOid(algorithm);
    summary.type = KEY_ALGORITHMS[oid] ?? oid;
  } catch {
    return summary;
  }
  try {
    const publicKey = createPublicKey(
      createPrivateKey({ key: key.pkcs8, format: 'der', type: 'pkcs8' }),
    );
    const info = readPublicKey(parseDer(publicKey.export({ format: 'der', type: 'spki' })));
    summary.bits = info.bits;
    summary.curve = info.curve;
    summary.publicKeySha256 = info.spkiSha256;
  } catch {
    // Node cannot load every key (unknown curves, odd DSA); the type alone is still shown.
  }
  return summary;
}
