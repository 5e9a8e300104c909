// Key and signature algorithms, named once for every provider, the CLI and the window.

export const KEY_ALGORITHMS = [
  'rsa-2048',
  'rsa-3072',
  'rsa-4096',
  'ec-p256',
  'ec-p384',
  'ec-p521',
  'ed25519',
] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

export const SIGNATURE_ALGORITHMS = [
  'rsa-pkcs1-sha256',
  'rsa-pkcs1-sha384',
  'rsa-pkcs1-sha512',
  'rsa-pss-sha256',
  'rsa-pss-sha384',
  'rsa-pss-sha512',
  'ecdsa-sha256',
  'ecdsa-sha384',
  'ecdsa-sha512',
  'ed25519',
] as const;
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];

export type KeyFamily = 'rsa' | 'ec' | 'ed25519';

export function keyFamily(algorithm: KeyAlgorithm): KeyFamily {
  if (algorithm.startsWith('rsa-')) return 'rsa';
  if (algorithm.startsWith('ec-')) return 'ec';
  return 'ed25519';
}

/** RSA modulus length in bits, or undefined for non-RSA algorithms. */
export function rsaModulusBits(algorithm: KeyAlgorithm): number | undefined {
  return algorithm.startsWith('rsa-') ? Number(algorithm.slice(4)) : undefined;
}

export const EC_CURVES: Record<
  'ec-p256' | 'ec-p384' | 'ec-p521',
  { nodeName: string; oid: string }
> = {
  'ec-p256': { nodeName: 'prime256v1', oid: '1.2.840.10045.3.1.7' },
  'ec-p384': { nodeName: 'secp384r1', oid: '1.3.132.0.34' },
  'ec-p521': { nodeName: 'secp521r1', oid: '1.3.132.0.35' },
};

/**
 * The signature algorithm a CA uses by default for a key: the hash strength follows the key
 * strength (NIST SP 800-57 Part 1 Table 2 comparable strengths).
 */
export function defaultSignatureAlgorithm(algorithm: KeyAlgorithm): SignatureAlgorithm {
  switch (algorithm) {
    case 'rsa-2048':
    case 'rsa-3072':
      return 'rsa-pkcs1-sha256';
    case 'rsa-4096':
      return 'rsa-pkcs1-sha384';
    case 'ec-p256':
      return 'ecdsa-sha256';
    case 'ec-p384':
      return 'ecdsa-sha384';
    case 'ec-p521':
      return 'ecdsa-sha512';
    case 'ed25519':
      return 'ed25519';
  }
}

export function signatureFitsKey(signature: SignatureAlgorithm, key: KeyAlgorithm): boolean {
  const family = keyFamily(key);
  if (family === 'rsa') return signature.startsWith('rsa-');
  if (family === 'ec') return signature.startsWith('ecdsa-');
  return signature === 'ed25519';
}
