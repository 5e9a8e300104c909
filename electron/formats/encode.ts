// The single entry point of every export writer: a format name, what to export, and its options.
// Pure: no vault, no files. Private keys come in as plain PKCS#8 DER and leave only encrypted,
// except in the 'pkcs8' format, which the caller has confirmed with the officer.

import { MazeVaultError } from '../../shared/errors';
import type { BundleCertificate, BundlePrivateKey } from './bundle';
import { encodeJavaKeystore } from './encode-jks';
import { keystoreContents, parseCertificate, publicKeyOfPrivateKey } from './encode-keystore';
import { toPem, toPemBundle, type PemLabel } from './encode-pem';
import { encodePkcs12 } from './encode-pkcs12';
import { encodeCertsOnlyPkcs7 } from './encode-pkcs7';
import { encodeEncryptedPkcs8 } from './encode-pkcs8';

export const EXPORT_FORMATS = [
  'pem',
  'der',
  'pem-chain',
  'p7b',
  'p7b-der',
  'p12',
  'p12-legacy',
  'pkcs8',
  'pkcs8-encrypted',
  'jks',
  'jceks',
  'csr',
  'crl',
] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What to export. A decoded Bundle fits as it is. */
export interface ExportInput {
  /** DER certificates; for keystores, those not in a key's chain become trusted entries. */
  certificates?: readonly BundleCertificate[];
  /** Plain PKCS#8 keys; a key without a chain is paired with its certificate among the above. */
  privateKeys?: readonly BundlePrivateKey[];
  crls?: readonly Buffer[];
  csrs?: readonly Buffer[];
}

export interface ExportOptions {
  /** Store or file password: required by p12, p12-legacy, pkcs8-encrypted, jks and jceks. */
  password?: string;
  /** Permits an empty password for p12, p12-legacy, jks and jceks (never for PKCS#8). */
  allowEmptyPassword?: boolean;
  /** jks and jceks: key entry passwords by alias; the others use the store password. */
  keyPasswords?: Readonly<Record<string, string>>;
  /** p12, jks, jceks: friendly name (alias) of the key entry when one key is exported. */
  friendlyName?: string;
  /** KDF iterations for pkcs8-encrypted, p12, p12-legacy and jceks; see DEFAULT_ITERATIONS. */
  iterations?: number;
  /** pkcs8, pkcs8-encrypted, csr and crl: PEM text (the default) or DER bytes. */
  encoding?: 'pem' | 'der';
  /** jks and jceks: creation date written into each entry (default: now). */
  created?: Date;
}

/**
 * Iterations when none are given. PBKDF2-HMAC-SHA256 follows OWASP's 2023 figure of 600,000
 * (OpenSSL 3 writes only 2,048); the PKCS#12 MAC uses the same count, since a password can be
 * guessed against the MAC as easily as against the bags. The legacy profile keeps OpenSSL's
 * 2,048, which old Windows imports quickly; JCEKS takes the JDK's own 200,000.
 */
export const DEFAULT_ITERATIONS = {
  'pkcs8-encrypted': 600_000,
  p12: 600_000,
  'p12-legacy': 2_048,
  jceks: 200_000,
} as const;

/** RFC 8018 §4.2 asks for at least 1,000; the JDK refuses PKCS#12 files above 5,000,000. */
type IteratedFormat = keyof typeof DEFAULT_ITERATIONS;

const MIN_ITERATIONS = 1_000;
const MAX_ITERATIONS = 5_000_000;

const PASSWORD_FORMATS: ReadonlySet<ExportFormat> = new Set([
  'p12',
  'p12-legacy',
  'pkcs8-encrypted',
  'jks',
  'jceks',
]);

function invalid(message: string): MazeVaultError {
  return new MazeVaultError('INVALID_INPUT', message);
}

function checkOptions(format: ExportFormat, options: ExportOptions): void {
  const password = options.password;
  if (PASSWORD_FORMATS.has(format)) {
    if (password === undefined) {
      throw invalid(`A ${format} export is protected by a password; enter one.`);
    }
    if (password === '' && (format === 'pkcs8-encrypted' || options.allowEmptyPassword !== true)) {
      throw invalid(
        format === 'pkcs8-encrypted'
          ? 'An encrypted PKCS#8 key needs a password that is not empty; enter one.'
          : `The ${format} password is empty, which protects nothing; enter a password, or ` +
              'explicitly allow an empty one for a system that requires it.',
      );
    }
  } else if (password !== undefined) {
    throw invalid(
      `The ${format} format is not encrypted, so the password would not protect anything; ` +
        'choose an encrypted format (pkcs8-encrypted, p12) or leave the password out.',
    );
  }

  if (options.keyPasswords !== undefined && format !== 'jks' && format !== 'jceks') {
    throw invalid(
      'Separate key passwords apply only to JKS and JCEKS; leave them out for ' + format + '.',
    );
  }
  const keystore = ['p12', 'p12-legacy', 'jks', 'jceks'].includes(format);
  if (options.friendlyName !== undefined && !keystore) {
    throw invalid(`The ${format} format has no friendly name; leave it out.`);
  }
  if (options.created !== undefined && format !== 'jks' && format !== 'jceks') {
    throw invalid(`Only JKS and JCEKS record a creation date; leave it out for ${format}.`);
  }
  if (options.iterations !== undefined) {
    if (!(format in DEFAULT_ITERATIONS)) {
      throw invalid(`The ${format} format has no iteration count; leave it out.`);
    }
    const { iterations } = options;
    if (
      !Number.isSafeInteger(iterations) ||
      iterations < MIN_ITERATIONS ||
      iterations > MAX_ITERATIONS
    ) {
      throw invalid(
        `The iteration count must be a whole number from ${MIN_ITERATIONS} to ${MAX_ITERATIONS}; ` +
          `leave it out to use the default of ${DEFAULT_ITERATIONS[format as IteratedFormat]}.`,
      );
    }
  }
  if (
    options.encoding !== undefined &&
    !['pkcs8', 'pkcs8-encrypted', 'csr', 'crl'].includes(format)
  ) {
    throw invalid(`The ${format} format has a fixed encoding; leave the encoding option out.`);
  }
}

interface Present {
  certificates: readonly BundleCertificate[];
  privateKeys: readonly BundlePrivateKey[];
  crls: readonly Buffer[];
  csrs: readonly Buffer[];
}

const CONTENT_WORDS: Record<keyof Present, string> = {
  certificates: 'certificates',
  privateKeys: 'private keys',
  crls: 'CRLs',
  csrs: 'CSRs',
};

/** Refuses what a format cannot carry, so nothing the officer chose is silently left out. */
function onlyThese(
  format: ExportFormat,
  present: Present,
  allowed: (keyof Present)[],
  hint: string,
): void {
  for (const kind of Object.keys(CONTENT_WORDS) as (keyof Present)[]) {
    if (present[kind].length > 0 && !allowed.includes(kind)) {
      throw invalid(`The ${format} format cannot carry ${CONTENT_WORDS[kind]}; ${hint}`);
    }
  }
}

function exactlyOne<T>(items: readonly T[], what: string, format: ExportFormat, hint: string): T {
  if (items.length !== 1) {
    throw invalid(
      `The ${format} format holds exactly one ${what}, and ${items.length} were given; ${hint}`,
    );
  }
  return items[0]!;
}

/** A light check that a CSR or CRL is one complete DER SEQUENCE, before it is armoured. */
function checkDerSequence(der: Buffer, what: string): Buffer {
  let complete = false;
  if (der.length >= 2 && der[0] === 0x30) {
    const first = der[1]!;
    if (first < 0x80) complete = der.length === 2 + first;
    else {
      const count = first & 0x7f;
      if (count >= 1 && count <= 4 && der.length >= 2 + count) {
        const length = der.readUIntBE(2, count);
        complete = der.length === 2 + count + length;
      }
    }
  }
  if (!complete) {
    throw invalid(
      `The ${what} is not a complete DER structure; re-import or rebuild it before exporting.`,
    );
  }
  return der;
}

function armour(label: PemLabel, ders: readonly Buffer[], encoding: 'pem' | 'der'): Buffer {
  return encoding === 'der' ? ders[0]! : Buffer.from(toPemBundle(label, ders), 'utf8');
}

/**
 * Writes `input` in `format`. PEM results are UTF-8 text in the Buffer.
 * @throws MazeVaultError INVALID_INPUT when the input or options do not fit the format.
 */
export async function encode(
  format: ExportFormat,
  input: ExportInput,
  options: ExportOptions = {},
): Promise<Buffer> {
  if (!EXPORT_FORMATS.includes(format)) {
    throw invalid(
      `"${String(format)}" is not an export format; choose one of ${EXPORT_FORMATS.join(', ')}.`,
    );
  }
  checkOptions(format, options);
  const present: Present = {
    certificates: input.certificates ?? [],
    privateKeys: input.privateKeys ?? [],
    crls: input.crls ?? [],
    csrs: input.csrs ?? [],
  };
  const certificateDers = () =>
    present.certificates.map(
      (certificate, index) =>
        parseCertificate(certificate.der, `certificate number ${index + 1}`).raw,
    );
  const encoding = options.encoding ?? 'pem';

  switch (format) {
    case 'pem':
    case 'der': {
      onlyThese(format, present, ['certificates'], 'export keys as PKCS#8 or PKCS#12.');
      const hint = 'choose pem-chain or p7b for several certificates.';
      exactlyOne(present.certificates, 'certificate', format, hint);
      const der = certificateDers()[0]!;
      return format === 'der' ? der : Buffer.from(toPem('CERTIFICATE', der), 'utf8');
    }
    case 'pem-chain': {
      onlyThese(format, present, ['certificates'], 'export keys as PKCS#8 or PKCS#12.');
      if (present.certificates.length === 0) {
        throw invalid('A PEM chain needs at least one certificate.');
      }
      return Buffer.from(toPemBundle('CERTIFICATE', certificateDers()), 'utf8');
    }
    case 'p7b':
    case 'p7b-der': {
      onlyThese(
        format,
        present,
        ['certificates', 'crls'],
        'a PKCS#7 bundle holds no keys; choose p12.',
      );
      if (present.certificates.length + present.crls.length === 0) {
        throw invalid('A PKCS#7 bundle needs at least one certificate or CRL.');
      }
      const crls = present.crls.map((crl, index) =>
        checkDerSequence(crl, `CRL number ${index + 1}`),
      );
      const der = encodeCertsOnlyPkcs7(certificateDers(), crls);
      return format === 'p7b-der' ? der : Buffer.from(toPem('PKCS7', der), 'utf8');
    }
    case 'pkcs8':
    case 'pkcs8-encrypted': {
      const hint = 'export certificates separately, or choose p12 for a key with its certificates.';
      onlyThese(format, present, ['privateKeys'], hint);
      const key = exactlyOne(
        present.privateKeys,
        'private key',
        format,
        'export one key at a time.',
      );
      publicKeyOfPrivateKey(key.pkcs8, 'private key');
      if (format === 'pkcs8') return armour('PRIVATE KEY', [key.pkcs8], encoding);
      const iterations = options.iterations ?? DEFAULT_ITERATIONS[format];
      const encrypted = await encodeEncryptedPkcs8(key.pkcs8, options.password!, iterations);
      return armour('ENCRYPTED PRIVATE KEY', [encrypted], encoding);
    }
    case 'p12':
    case 'p12-legacy':
    case 'jks':
    case 'jceks': {
      onlyThese(
        format,
        present,
        ['certificates', 'privateKeys'],
        'export CRLs and CSRs on their own.',
      );
      if (present.certificates.length + present.privateKeys.length === 0) {
        throw invalid(
          `A ${format} keystore needs at least one key with its certificate, or a certificate.`,
        );
      }
      if (options.friendlyName !== undefined && present.privateKeys.length !== 1) {
        throw invalid(
          'A friendly name applies when exactly one key is exported; name several keys by their ' +
            'own aliases instead.',
        );
      }
      const contents = keystoreContents(
        present.certificates,
        present.privateKeys,
        options.friendlyName,
      );
      if (format === 'jks' || format === 'jceks') {
        return encodeJavaKeystore(contents, options.password!, {
          type: format,
          keyPasswords: options.keyPasswords,
          iterations: options.iterations ?? DEFAULT_ITERATIONS.jceks,
          created: options.created ?? new Date(),
        });
      }
      return encodePkcs12(contents, options.password!, {
        profile: format === 'p12' ? 'aes256-sha256' : 'legacy-3des-sha1',
        iterations: options.iterations ?? DEFAULT_ITERATIONS[format],
      });
    }
    case 'csr':
    case 'crl': {
      const kind = format === 'csr' ? 'csrs' : 'crls';
      const word = format === 'csr' ? 'CSR' : 'CRL';
      onlyThese(format, present, [kind], `choose another format for anything but the ${word}.`);
      const items = present[kind];
      if (items.length === 0) throw invalid(`Nothing to export: no ${word} was given.`);
      if (encoding === 'der') {
        exactlyOne(items, word, format, 'choose PEM to put several in one file.');
      }
      const ders = items.map((der, index) => checkDerSequence(der, `${word} number ${index + 1}`));
      return armour(format === 'csr' ? 'CERTIFICATE REQUEST' : 'X509 CRL', ders, encoding);
    }
  }
}
