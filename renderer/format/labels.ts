// Names the officer reads for the codes the contract uses.
import type { KeyAlgorithm } from '../../shared/algorithms';
import type { KeyPurpose } from '../../shared/cryptoperiods';
import type { ExportFormat } from '../../shared/contract';

type ProviderKind = 'software' | 'pkcs11' | 'aws-kms' | 'azure-kv' | 'gcp-kms';

export const ALGORITHM_LABELS: Record<KeyAlgorithm, string> = {
  'rsa-2048': 'RSA 2048',
  'rsa-3072': 'RSA 3072',
  'rsa-4096': 'RSA 4096',
  'ec-p256': 'EC P-256',
  'ec-p384': 'EC P-384',
  'ec-p521': 'EC P-521',
  ed25519: 'Ed25519',
};

export const PURPOSE_LABELS: Record<KeyPurpose, string> = {
  'root-ca': 'Root CA',
  'sub-ca': 'Subordinate CA',
  'tls-server': 'TLS server',
  'tls-client': 'TLS client',
  signing: 'Signing',
  general: 'General',
};

export const PROVIDER_LABELS: Record<ProviderKind, string> = {
  software: 'Software (sealed in the vault)',
  pkcs11: 'HSM (PKCS#11)',
  'aws-kms': 'AWS KMS',
  'azure-kv': 'Azure Key Vault',
  'gcp-kms': 'Google Cloud KMS',
};

/** The formats of the core export channel; `pem-chain` is PEM with the chain box ticked. The
 * wizard adds plain `pkcs8` (after a warning), CSR and CRL, which go through their own channels. */
export const OFFERED_FORMATS = [
  'pem',
  'der',
  'p7b',
  'p7b-der',
  'p12',
  'p12-legacy',
  'pkcs8-encrypted',
  'jks',
  'jceks',
] as const satisfies readonly ExportFormat[];
export type OfferedFormat = (typeof OFFERED_FORMATS)[number];

export const FORMAT_LABELS: Record<ExportFormat, string> = {
  pem: 'PEM certificate (Base64 text)',
  'pem-chain': 'PEM certificate with chain',
  der: 'DER certificate (binary)',
  p7b: 'PKCS#7 certificates only (.p7b, PEM)',
  'p7b-der': 'PKCS#7 certificates only (.p7b, DER)',
  p12: 'PKCS#12 (.p12, AES-256 as OpenSSL 3 writes it)',
  'p12-legacy': 'PKCS#12 legacy (.pfx, 3DES/SHA-1 for old Windows)',
  pkcs8: 'PKCS#8 private key',
  'pkcs8-encrypted': 'PKCS#8 private key, encrypted',
  jks: 'Java KeyStore (JKS)',
  jceks: 'Java JCEKS keystore',
};

export const FORMAT_EXTENSIONS: Record<ExportFormat, string> = {
  pem: 'pem',
  'pem-chain': 'pem',
  der: 'cer',
  p7b: 'p7b',
  'p7b-der': 'p7b',
  p12: 'p12',
  'p12-legacy': 'pfx',
  pkcs8: 'key',
  'pkcs8-encrypted': 'key',
  jks: 'jks',
  jceks: 'jceks',
};
