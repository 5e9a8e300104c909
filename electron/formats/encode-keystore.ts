// What a keystore export holds (PKCS#12, JKS, JCEKS): key entries, each a private key with its
// chain under an alias, and trusted certificate entries. Built once from the export input so
// every keystore writer pairs keys with certificates and names entries the same way.

import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';

import { MazeVaultError } from '../../shared/errors';
import type { BundleCertificate, BundlePrivateKey } from './bundle';

export interface KeystoreKeyEntry {
  alias: string;
  /** Unencrypted PKCS#8 PrivateKeyInfo, DER. */
  privateKey: Buffer;
  /** DER certificates, leaf first; the leaf holds the key's public key. */
  chain: Buffer[];
}

export interface KeystoreTrustedEntry {
  alias: string;
  certificate: Buffer;
}

export interface KeystoreContents {
  keys: KeystoreKeyEntry[];
  trusted: KeystoreTrustedEntry[];
}

export function parseCertificate(der: Buffer, position: string): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch (error) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `The ${position} is not a DER X.509 certificate; export only certificates from the vault ` +
        'or re-import the file.',
      { cause: error },
    );
  }
}

/** The SubjectPublicKeyInfo of a PKCS#8 key, to compare with a certificate's. */
export function publicKeyOfPrivateKey(pkcs8: Buffer, position: string): Buffer {
  try {
    const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    return createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  } catch (error) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `The ${position} is not an unencrypted PKCS#8 private key that can be read; ` +
        'export keys from the vault, which keeps them in that form.',
      { cause: error },
    );
  }
}

function spkiOf(certificate: X509Certificate): Buffer {
  return certificate.publicKey.export({ format: 'der', type: 'spki' });
}

function commonNameOf(certificate: X509Certificate): string | undefined {
  const match = /^CN=(.+)$/m.exec(certificate.subject);
  return match?.[1]?.trim() || undefined;
}

/** Follows issuers through the pool, leaf first, until a self-signed certificate or a gap. */
function buildChain(leaf: X509Certificate, pool: X509Certificate[]): X509Certificate[] {
  const chain = [leaf];
  for (let current = leaf; !current.checkIssued(current);) {
    const issuer = pool.find(
      (candidate) =>
        !chain.includes(candidate) &&
        current.checkIssued(candidate) &&
        current.verify(candidate.publicKey),
    );
    if (issuer === undefined) break;
    chain.push(issuer);
    current = issuer;
  }
  return chain;
}

/**
 * Pairs each private key with its chain: the chain the key came with, or else the certificate
 * whose public key it holds, followed up its issuers among the certificates given. What is left
 * over becomes trusted certificate entries.
 */
export function keystoreContents(
  certificates: readonly BundleCertificate[],
  privateKeys: readonly BundlePrivateKey[],
  singleKeyAlias?: string,
): KeystoreContents {
  const pool = certificates.map((certificate, index) =>
    parseCertificate(certificate.der, `certificate number ${index + 1}`),
  );
  const used = new Set<X509Certificate>();
  const keys: KeystoreKeyEntry[] = [];

  privateKeys.forEach((key, index) => {
    const position = privateKeys.length === 1 ? 'private key' : `private key number ${index + 1}`;
    const publicKey = publicKeyOfPrivateKey(key.pkcs8, position);
    let chain: X509Certificate[];
    if (key.chain !== undefined && key.chain.length > 0) {
      chain = key.chain.map((der, at) =>
        parseCertificate(der, `certificate ${at + 1} of ${position}'s chain`),
      );
    } else {
      const leaf = pool.find((certificate) => spkiOf(certificate).equals(publicKey));
      if (leaf === undefined) {
        throw new MazeVaultError(
          'INVALID_INPUT',
          `No certificate among those exported holds the public key of the ${position}; ` +
            'a keystore ' +
            'entry needs the key together with its certificate, so add the certificate.',
        );
      }
      chain = buildChain(leaf, pool);
    }
    if (!spkiOf(chain[0]!).equals(publicKey)) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        `The first certificate of the ${position}'s chain does not belong to that key; put the ` +
          "key's own certificate first, then its issuers.",
      );
    }
    for (const certificate of chain) {
      const inPool = pool.find((candidate) => candidate.raw.equals(certificate.raw));
      if (inPool !== undefined) used.add(inPool);
    }
    const alias =
      (privateKeys.length === 1 ? singleKeyAlias : undefined) ??
      key.alias ??
      key.friendlyName ??
      commonNameOf(chain[0]!) ??
      `key-${index + 1}`;
    keys.push({ alias, privateKey: key.pkcs8, chain: chain.map((certificate) => certificate.raw) });
  });

  const trusted: KeystoreTrustedEntry[] = [];
  pool.forEach((certificate, index) => {
    if (used.has(certificate)) return;
    const given = certificates[index]!;
    const alias =
      given.alias ?? given.friendlyName ?? commonNameOf(certificate) ?? `certificate-${index + 1}`;
    trusted.push({ alias, certificate: certificate.raw });
  });

  const seen = new Set<string>();
  for (const { alias } of [...keys, ...trusted]) {
    // keytool looks aliases up without regard to case, so two that differ only in case collide.
    const folded = alias.toLowerCase();
    if (seen.has(folded)) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        `Two entries would be named "${alias}"; give each key and certificate its own alias.`,
      );
    }
    seen.add(folded);
  }
  return { keys, trusted };
}
