// mazevault ca …: a self-signed root CA and subordinate CAs below it.
import type { Command } from 'commander';
import {
  KEY_ALGORITHMS,
  SIGNATURE_ALGORITHMS,
  type KeyAlgorithm,
  type SignatureAlgorithm,
} from '../../../shared/algorithms';
import { MazeVaultError } from '../../../shared/errors';
import type { KeySource } from '../../pki/issuance';
import type { CertificateRecord } from '../../pki/certificates';
import type { Services } from '../../services';
import { oneOf, parseWholeNumber, withServices, withVaultOption } from '../context';
import {
  parsePkcs11Store,
  PKCS11_STORE_FORMS,
  preparePkcs11Store,
  type Pkcs11Store,
} from './token';

export interface IssuanceOptions {
  vault: string;
  subject?: string;
  algorithm?: KeyAlgorithm;
  key?: string;
  years?: number;
  days?: number;
  pathLen?: number;
  overrideReason?: string;
  crlUrl?: string;
  signatureAlgorithm?: SignatureAlgorithm;
  store?: string;
  pinFile?: string;
}

/** The options root, subordinate and end-entity issuance share. */
export function withIssuanceOptions(command: Command, subjectRequired = true): Command {
  const subject = 'the subject, e.g. "CN=Acme Root CA,O=Acme,C=DE" (escape commas as \\,)';
  withVaultOption(command);
  if (subjectRequired) command.requiredOption('--subject <dn>', subject);
  else command.option('--subject <dn>', `${subject}; with --csr, the CSR's subject by default`);
  // Either-or options cannot be Commander requiredOptions; their help says what is required.
  const keyRequired = subjectRequired
    ? '(required: this or --key)'
    : '(this or --key, unless --csr)';
  return command
    .option(
      '--algorithm <name>',
      `${keyRequired} make a new key: ${KEY_ALGORITHMS.join(', ')}`,
      oneOf(KEY_ALGORITHMS, 'algorithm'),
    )
    .option(
      '--key <keyId>',
      `${keyRequired.replace('--key', '--algorithm')} certify an existing vault key instead of making one`,
    )
    .option('--store <store>', `where a new key is made: vault (default) or ${PKCS11_STORE_FORMS}`)
    .option(
      '--pin-file <file>',
      'token user PIN when a token key is used (else MAZEVAULT_PKCS11_PIN or a prompt)',
    )
    .option(
      '--years <n>',
      '(required: this and/or --days) validity in years',
      parseWholeNumber('years'),
    )
    .option(
      '--days <n>',
      '(required: this and/or --years) validity in days, added to --years',
      parseWholeNumber('days'),
    )
    .option('--override-reason <text>', 'issue outside the validity policy; the reason is audited')
    .option('--crl-url <uri>', 'CRL distribution point URI')
    .option(
      '--signature-algorithm <name>',
      `default follows the signing key: ${SIGNATURE_ALGORITHMS.join(', ')}`,
      oneOf(SIGNATURE_ALGORITHMS, 'signature-algorithm'),
    );
}

export function keySourceOf(options: IssuanceOptions): KeySource {
  if (options.algorithm && options.key) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      'Give either --algorithm for a new key or --key for an existing one, not both.',
    );
  }
  if (options.key) return { keyId: options.key };
  if (options.algorithm) return { algorithm: options.algorithm };
  throw new MazeVaultError(
    'INVALID_INPUT',
    'Give --algorithm to make a new key, or --key KEY_ID to certify an existing one.',
  );
}

/**
 * The key source with its store resolved: `--store pkcs11:PROFILE[:TOKEN]` logs in to the token
 * and makes the new key there, so root, subordinate and end-entity issuance work with HSM keys
 * exactly as with vault keys.
 */
export async function resolveKeySource(
  services: Services,
  options: IssuanceOptions,
): Promise<KeySource> {
  const source = keySourceOf(options);
  const store = parseKeyStore(options.store);
  if (!store) return source;
  if ('keyId' in source) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      '--store applies to a new key; an existing key (--key) stays in the store that holds it.',
    );
  }
  const placement = await preparePkcs11Store(services, store, options.pinFile);
  return { ...source, provider: 'pkcs11', providerOptions: placement };
}

/** `vault` (or nothing) is the encrypted vault; `pkcs11:…` a token profile. */
export function parseKeyStore(store: string | undefined): Pkcs11Store | undefined {
  if (store === undefined || store === 'vault') return undefined;
  const pkcs11 = parsePkcs11Store(store);
  if (!pkcs11) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `Unknown key store "${store}"; use vault or ${PKCS11_STORE_FORMS}.`,
    );
  }
  return pkcs11;
}

export function commonRequest(options: IssuanceOptions) {
  return {
    validity: { years: options.years, days: options.days },
    ...(options.overrideReason ? { override: { reason: options.overrideReason } } : {}),
    ...(options.crlUrl ? { crlDistributionPoint: options.crlUrl } : {}),
    ...(options.signatureAlgorithm ? { signatureAlgorithm: options.signatureAlgorithm } : {}),
  };
}

export function issuedText(
  kind: string,
  certificate: CertificateRecord,
  keyId: string | null,
): string[] {
  return [
    `Issued ${kind} ${certificate.id}`,
    `  subject    ${certificate.subject}`,
    `  issuer     ${certificate.issuer}`,
    `  serial     ${certificate.serial}`,
    `  valid      ${certificate.notBefore} to ${certificate.notAfter}`,
    `  SHA-256    ${certificate.sha256}`,
    `  key        ${keyId ?? '(not in this vault)'}`,
  ];
}

export function registerCaCommands(program: Command): void {
  const ca = program
    .command('ca')
    .description('create root and subordinate certificate authorities');

  withIssuanceOptions(ca.command('root'))
    .description('create a self-signed root CA (policy: 10 to 20 years)')
    .option(
      '--path-len <n>',
      'basicConstraints pathLenConstraint (default: none)',
      parseWholeNumber('path-len'),
    )
    .action(async (options: IssuanceOptions, command: Command) => {
      await withServices(command, options.vault, async (services, output) => {
        const { certificate, key } = await services.issuance.createRoot({
          subject: options.subject ?? '',
          key: await resolveKeySource(services, options),
          pathLen: options.pathLen,
          ...commonRequest(options),
        });
        output.result(
          { id: certificate.id, keyId: key.id, certificate },
          issuedText('root CA', certificate, key.id),
        );
      });
    });

  withIssuanceOptions(ca.command('sub'))
    .description('issue a subordinate CA from a CA in the vault (policy: 5 to 10 years)')
    .requiredOption('--issuer <certId>', 'the issuing CA certificate')
    .option(
      '--path-len <n>',
      'basicConstraints pathLenConstraint (default: 0)',
      parseWholeNumber('path-len'),
    )
    .action(async (options: IssuanceOptions & { issuer: string }, command: Command) => {
      await withServices(command, options.vault, async (services, output) => {
        const { certificate, key } = await services.issuance.issueSubordinate({
          issuerCertId: options.issuer,
          subject: options.subject ?? '',
          key: await resolveKeySource(services, options),
          pathLen: options.pathLen,
          ...commonRequest(options),
        });
        output.result(
          { id: certificate.id, keyId: key.id, certificate },
          issuedText('subordinate CA', certificate, key.id),
        );
      });
    });
}
