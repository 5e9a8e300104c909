// mazevault cert …: issue end-entity certificates, list and show the inventory.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { MazeVaultError } from '../../../shared/errors';
import type { CertificateFilter, CertificateRecord } from '../../pki/certificates';
import { collect, oneOf, parseWholeNumber, withServices, withVaultOption } from '../context';
import { table } from '../output';
import {
  commonRequest,
  issuedText,
  resolveKeySource,
  withIssuanceOptions,
  type IssuanceOptions,
} from './ca';

const END_ENTITY_PROFILES = ['tls-server', 'tls-client'] as const;
const LIST_STATUSES = ['valid', 'revoked', 'expired'] as const;
type ListStatus = (typeof LIST_STATUSES)[number];

/** What an officer needs at a glance: revoked (and why) before expired before valid. */
export function certificateStatusText(certificate: CertificateRecord, now = new Date()): string {
  if (certificate.status === 'revoked') {
    const reason = certificate.revocationReason ?? 'unspecified';
    const at = certificate.revokedAt ? ` at ${certificate.revokedAt}` : '';
    return `revoked (${reason})${at}`;
  }
  if (Date.parse(certificate.notAfter) < now.getTime()) return 'expired';
  if (Date.parse(certificate.notBefore) > now.getTime()) return 'not yet valid';
  return 'valid';
}

/** The inventory filter for one --status value; "valid" means not revoked and not expired. */
function statusFilter(status: ListStatus, now: string): CertificateFilter {
  if (status === 'revoked') return { status: 'revoked' };
  if (status === 'expired') return { status: 'valid', expiringBefore: now };
  return { status: 'valid', notExpiredAt: now };
}

function readCsrFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    throw new MazeVaultError('IO_ERROR', `Cannot read the CSR file ${path}; check the path.`);
  }
}

export function registerCertCommands(program: Command): void {
  const cert = program.command('cert').description('issue and list certificates');

  withIssuanceOptions(cert.command('issue'), false)
    .description(
      'issue a TLS certificate from a CA in the vault, for a CSR or a new key (policy: 90 days to 1 year)',
    )
    .requiredOption('--issuer <certId>', 'the issuing CA certificate')
    .option('--csr <file>', 'a PKCS#10 CSR (PEM or DER); its signature is checked first')
    .option(
      '--san <name>',
      'subject alternative name: DNS:…, IP:…, email:…, URI:… (repeatable)',
      collect,
      [],
    )
    .option(
      '--profile <name>',
      'tls-server or tls-client',
      oneOf(END_ENTITY_PROFILES, 'profile'),
      'tls-server',
    )
    .action(
      async (
        options: IssuanceOptions & {
          issuer: string;
          csr?: string;
          san: string[];
          profile: 'tls-server' | 'tls-client';
        },
        command: Command,
      ) => {
        const csr = options.csr ? readCsrFile(options.csr) : undefined;
        if (csr && (options.algorithm || options.key)) {
          throw new MazeVaultError(
            'INVALID_INPUT',
            'Give either --csr or a key (--algorithm, --key), not both.',
          );
        }
        await withServices(command, options.vault, async (services, output) => {
          const { certificate, key } = await services.issuance.issueEndEntity({
            issuerCertId: options.issuer,
            profile: options.profile,
            subject: options.subject,
            sans: options.san,
            ...(csr ? { csr } : { key: await resolveKeySource(services, options) }),
            ...commonRequest(options),
          });
          const keyId = key?.id ?? null;
          output.result(
            { id: certificate.id, keyId, certificate },
            issuedText(options.profile, certificate, keyId),
          );
        });
      },
    );

  withVaultOption(cert.command('list'))
    .description('list the certificates in the vault')
    .option('--ca', 'only CA certificates')
    .option('--issuer <certId>', 'only certificates issued by this CA')
    .option(
      '--expiring-days <n>',
      'only certificates that expire within n days',
      parseWholeNumber('expiring-days'),
    )
    .option('--search <text>', 'subject or issuer text, serial, fingerprint or id')
    .option('--limit <n>', 'at most n certificates (up to 10000)', parseWholeNumber('limit'), 500)
    .option('--offset <n>', 'skip the first n (for paging)', parseWholeNumber('offset'), 0)
    .option(
      '--status <status>',
      'only valid (neither revoked nor expired), revoked or expired certificates',
      oneOf(LIST_STATUSES, 'status'),
    )
    .action(
      async (
        options: {
          vault: string;
          ca?: boolean;
          issuer?: string;
          expiringDays?: number;
          search?: string;
          status?: ListStatus;
          limit: number;
          offset: number;
        },
        command: Command,
      ) => {
        const now = new Date();
        const filter: CertificateFilter = options.status
          ? statusFilter(options.status, now.toISOString())
          : {};
        if (options.ca) filter.isCa = true;
        if (options.issuer) filter.issuerCertId = options.issuer;
        if (options.search) filter.search = options.search;
        if (options.expiringDays !== undefined) {
          if (options.status === 'expired') {
            throw new MazeVaultError(
              'INVALID_INPUT',
              'Give --expiring-days or --status expired, not both: one looks ahead, the other back.',
            );
          }
          filter.expiringBefore = new Date(
            now.getTime() + options.expiringDays * 86_400_000,
          ).toISOString();
        }
        if (options.limit < 1 || options.limit > 10_000) {
          throw new MazeVaultError('INVALID_INPUT', '--limit takes 1 to 10000 certificates.');
        }
        await withServices(command, options.vault, async (services, output) => {
          const total = services.certificates.count(filter);
          const certificates = services.certificates.list({
            ...filter,
            limit: options.limit,
            offset: options.offset,
          });
          const shown = certificates.length;
          const more =
            options.offset + shown < total
              ? [
                  `Showing ${options.offset + 1}–${options.offset + shown} of ${total}; the next ` +
                    `page: --offset ${options.offset + shown}.`,
                ]
              : [];
          output.result(
            { certificates, total, offset: options.offset },
            shown
              ? table([
                  ['ID', 'PROFILE', 'NOT AFTER', 'STATUS', 'SUBJECT'],
                  ...certificates.map((c) => [
                    c.id,
                    c.profile ?? '-',
                    c.notAfter.slice(0, 10),
                    certificateStatusText(c, now).replace(/ at .*$/, ''),
                    c.subject,
                  ]),
                ]).concat(more)
              : [
                  total
                    ? `No certificates at offset ${options.offset} of ${total}.`
                    : 'No certificates.',
                ],
          );
        });
      },
    );

  withVaultOption(cert.command('show'))
    .description('show one certificate and its PEM')
    .argument('<certId>', 'the certificate')
    .action(async (certId: string, options: { vault: string }, command: Command) => {
      await withServices(command, options.vault, async (services, output) => {
        const certificate = services.certificates.get(certId);
        const der = services.certificates.der(certId);
        const pem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').trimEnd()}\n-----END CERTIFICATE-----`;
        output.result({ certificate, pem }, [
          ...issuedText(certificate.profile ?? 'certificate', certificate, certificate.keyId),
          `  status     ${certificateStatusText(certificate)}`,
          ...pem.split('\n'),
        ]);
      });
    });
}
