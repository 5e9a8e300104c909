// mazevault cert renew | cert revoke | key compromise | crl issue | crl policy | rotate |
// rotation-policy | ca rollover: the certificate lifecycle, through the same services as the window.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { KEY_ALGORITHMS, type KeyAlgorithm } from '../../../shared/algorithms';
import { MazeVaultError } from '../../../shared/errors';
import { REVOCATION_REASONS, type RevocationReason } from '../../../shared/revocation-reasons';
import { encodeCrl } from '../../pki/crl';
import { KEY_POLICIES, type KeyPolicy } from '../../pki/renewal';
import { ROTATION_SCOPES, type RotationScope } from '../../pki/rotation';
import { checkWritable, writeFileAtomic } from '../atomic-file';
import { collect, oneOf, parseWholeNumber, withServices, withVaultOption } from '../context';
import { table } from '../output';

/** For commands that sign: a CA or certificate key on an HSM needs the token's user PIN. */
const TOKEN_PIN_HELP =
  'read the token user PIN from the first line of a file, when the signing key is on an HSM ' +
  '(or set MAZEVAULT_PKCS11_PIN)';

/** The group a command belongs to, made by its own register function if it ran first. */
function group(program: Command, name: string, description: string): Command {
  return (
    program.commands.find((command) => command.name() === name) ??
    program.command(name).description(description)
  );
}

function validityOf(options: { years?: number; days?: number }) {
  if (options.years === undefined && options.days === undefined) return undefined;
  return { years: options.years, days: options.days };
}

function parseTime(name: string): (value: string) => string {
  return (value) => {
    if (Number.isNaN(Date.parse(value))) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        `--${name} takes an ISO 8601 time such as 2025-01-31T12:00:00Z, not "${value}".`,
      );
    }
    return value;
  };
}

export function registerLifecycleCommands(program: Command): void {
  const cert = group(program, 'cert', 'issue and list certificates');
  const ca = group(program, 'ca', 'create root and subordinate certificate authorities');
  const key = group(program, 'key', 'generate keys and manage their lifecycle');

  withVaultOption(cert.command('renew'))
    .description(
      'renew a certificate: a successor with the same subject, SANs and profile, linked to it',
    )
    .argument('<certId>', 'the certificate to renew')
    .option(
      '--key-policy <policy>',
      'regenerate (new key, default) or reuse (same key)',
      oneOf(KEY_POLICIES, 'key-policy'),
    )
    .option(
      '--algorithm <name>',
      `with regenerate, the new key's algorithm: ${KEY_ALGORITHMS.join(', ')}`,
      oneOf(KEY_ALGORITHMS, 'algorithm'),
    )
    .option('--subject <dn>', 'a new subject instead of the current one')
    .option('--san <name>', 'replace the SANs: DNS:…, IP:…, email:…, URI:… (repeatable)', collect)
    .option(
      '--years <n>',
      'validity in years (default: as the predecessor)',
      parseWholeNumber('years'),
    )
    .option('--days <n>', 'validity in days', parseWholeNumber('days'))
    .option('--override-reason <text>', 'renew outside the validity policy; the reason is audited')
    .option('--revoke-old', 'revoke the predecessor as superseded')
    .option('--pin-file <file>', TOKEN_PIN_HELP)
    .action(
      async (
        certId: string,
        options: {
          vault: string;
          keyPolicy?: KeyPolicy;
          algorithm?: KeyAlgorithm;
          subject?: string;
          san?: string[];
          years?: number;
          days?: number;
          overrideReason?: string;
          revokeOld?: boolean;
        },
        command: Command,
      ) => {
        await withServices(command, options.vault, async (services, output) => {
          const validity = validityOf(options);
          const result = await services.renewal.renew(certId, {
            ...(options.keyPolicy ? { keyPolicy: options.keyPolicy } : {}),
            ...(options.algorithm ? { algorithm: options.algorithm } : {}),
            ...(options.subject ? { subject: options.subject } : {}),
            ...(options.san ? { sans: options.san } : {}),
            ...(validity ? { validity } : {}),
            ...(options.overrideReason ? { override: { reason: options.overrideReason } } : {}),
            revokePredecessor: options.revokeOld === true,
          });
          for (const warning of result.warnings) output.note(`warning: ${warning}`);
          output.result(
            {
              id: result.certificate.id,
              keyId: result.key?.id ?? null,
              predecessorId: result.predecessor.id,
              keyPolicy: result.keyPolicy,
              deactivatedKeyId: result.deactivatedKeyId,
              warnings: result.warnings,
              certificate: result.certificate,
            },
            [
              `Renewed ${result.predecessor.id} as ${result.certificate.id} (key policy: ${result.keyPolicy})`,
              `  subject    ${result.certificate.subject}`,
              `  serial     ${result.certificate.serial}`,
              `  valid      ${result.certificate.notBefore} to ${result.certificate.notAfter}`,
              `  key        ${result.key?.id ?? '(not in this vault)'}`,
              ...(result.deactivatedKeyId
                ? [`  old key ${result.deactivatedKeyId} is now Deactivated`]
                : []),
            ],
          );
        });
      },
    );

  withVaultOption(cert.command('revoke'))
    .description("revoke a certificate with an RFC 5280 reason; it appears in the CA's next CRL")
    .argument('<certId>', 'the certificate to revoke')
    .requiredOption(
      '--reason <reason>',
      REVOCATION_REASONS.join(', '),
      oneOf(REVOCATION_REASONS, 'reason'),
    )
    .option('--at <time>', 'when it was revoked (ISO 8601; default now)', parseTime('at'))
    .option(
      '--invalidity-date <time>',
      'when the key is known or suspected to have been compromised',
      parseTime('invalidity-date'),
    )
    .action(
      async (
        certId: string,
        options: { vault: string; reason: RevocationReason; at?: string; invalidityDate?: string },
        command: Command,
      ) => {
        await withServices(command, options.vault, async (services, output) => {
          const record = services.revocation.revoke(certId, {
            reason: options.reason,
            ...(options.at ? { at: options.at } : {}),
            ...(options.invalidityDate ? { invalidityDate: options.invalidityDate } : {}),
          });
          output.result(
            {
              id: record.id,
              status: record.status,
              reason: record.revocationReason,
              revokedAt: record.revokedAt,
            },
            `Revoked ${record.id} (${record.subject}, serial ${record.serial}): ${record.revocationReason} at ${record.revokedAt}`,
          );
        });
      },
    );

  withVaultOption(key.command('compromise'))
    .description('mark a key Compromised and revoke every certificate bound to it or issued by it')
    .argument('<keyId>', 'the compromised key')
    .requiredOption('--reason <text>', 'why the key is thought compromised (audited)')
    .option(
      '--at <time>',
      'when the compromise happened or is suspected (invalidity date)',
      parseTime('at'),
    )
    .option(
      '--yes',
      'confirm the revocations; without it the command only shows what it would revoke',
    )
    .action(
      async (
        keyId: string,
        options: { vault: string; reason: string; at?: string; yes?: boolean },
        command: Command,
      ) => {
        await withServices(command, options.vault, async (services, output) => {
          if (!options.yes) {
            const plan = services.revocation.planKeyCompromise(keyId);
            output.result({ confirmed: false, plan }, [
              `Marking key ${plan.keyId} ("${plan.keyLabel}") Compromised would revoke ${plan.toRevoke} certificate(s):`,
              ...[...plan.bound, ...plan.issued]
                .filter((c) => c.status === 'valid')
                .map((c) => `  ${c.id}  ${c.subject}`),
              'Run again with --yes to go ahead.',
            ]);
            return;
          }
          const result = await services.revocation.compromiseKey(keyId, {
            reason: options.reason,
            confirmed: true,
            ...(options.at ? { compromisedAt: options.at } : {}),
          });
          output.result(
            { confirmed: true, keyId, revoked: result.revoked },
            `Key ${keyId} is Compromised; revoked ${result.revoked.length} certificate(s).`,
          );
        });
      },
    );

  const crl = group(program, 'crl', 'issue and configure CRLs');
  withVaultOption(crl.command('issue'))
    .description('build and sign the next CRL of a CA and write it to a file')
    .requiredOption('--issuer <certId>', 'the issuing CA certificate')
    .requiredOption('--out <file>', 'where to write the CRL')
    .option('--format <format>', 'pem or der', oneOf(['pem', 'der'] as const, 'format'), 'pem')
    .option('--delta', 'a delta CRL over the latest complete CRL')
    .option('--force', 'replace the output file if it exists')
    .option('--pin-file <file>', TOKEN_PIN_HELP)
    .action(
      async (
        options: {
          vault: string;
          issuer: string;
          out: string;
          format: 'pem' | 'der';
          delta?: boolean;
          force?: boolean;
        },
        command: Command,
      ) => {
        const path = resolve(options.out);
        const overwrite = options.force === true;
        // Refused before the vault is opened: a CRL is signed, numbered and audited only if it
        // can also be written.
        checkWritable(path, { overwrite });
        await withServices(command, options.vault, async (services, output) => {
          const issued = await services.crls.issue(options.issuer, {
            delta: options.delta === true,
            onProgress: (done, total) => {
              if (total >= 10_000 && done % 20_000 < 4000) {
                output.note(`  ${done} of ${total} entries`);
              }
            },
            deliver: (der) => writeFileAtomic(path, encodeCrl(der, options.format), { overwrite }),
          });
          for (const warning of issued.warnings) output.note(`warning: ${warning}`);
          output.result(
            { ...issued.crl, path, format: options.format, warnings: issued.warnings },
            [
              `Issued ${issued.crl.baseCrlNumber === null ? 'CRL' : `delta CRL (base ${issued.crl.baseCrlNumber})`} ` +
                `#${issued.crl.crlNumber} with ${issued.crl.entries} entries to ${path}`,
              `  thisUpdate ${issued.crl.thisUpdate}`,
              `  nextUpdate ${issued.crl.nextUpdate}`,
            ],
          );
        });
      },
    );

  withVaultOption(crl.command('policy'))
    .description("show or set a CA's CRL policy")
    .requiredOption('--issuer <certId>', 'the CA certificate')
    .option(
      '--next-update-hours <n>',
      'hours from thisUpdate to nextUpdate',
      parseWholeNumber('next-update-hours'),
    )
    .option(
      '--delta-hours <n>',
      'hours to nextUpdate of delta CRLs',
      parseWholeNumber('delta-hours'),
    )
    .option('--distribution-point <uri>', 'the CRL URI for certificates this CA issues')
    .action(
      async (
        options: {
          vault: string;
          issuer: string;
          nextUpdateHours?: number;
          deltaHours?: number;
          distributionPoint?: string;
        },
        command: Command,
      ) => {
        await withServices(command, options.vault, async (services, output) => {
          const changes =
            options.nextUpdateHours !== undefined ||
            options.deltaHours !== undefined ||
            options.distributionPoint;
          const policy = changes
            ? services.crls.setPolicy(options.issuer, {
                ...(options.nextUpdateHours !== undefined
                  ? { nextUpdateHours: options.nextUpdateHours }
                  : {}),
                ...(options.deltaHours !== undefined
                  ? { deltaNextUpdateHours: options.deltaHours }
                  : {}),
                ...(options.distributionPoint
                  ? { distributionPoint: options.distributionPoint }
                  : {}),
              })
            : services.crls.policy(options.issuer);
          output.result({ ...policy }, [
            `CRL policy of ${policy.issuerCertId}`,
            `  nextUpdate after     ${policy.nextUpdateHours} h`,
            `  delta nextUpdate     ${policy.deltaNextUpdateHours === null ? '(no delta CRLs)' : `${policy.deltaNextUpdateHours} h`}`,
            `  distribution point   ${policy.distributionPoint ?? '(none)'}`,
            `  last CRL number      ${policy.lastCrlNumber}`,
          ]);
        });
      },
    );

  withVaultOption(program.command('rotate'))
    .description('renew every certificate due for rotation (for cron); --dry-run only lists them')
    .requiredOption('--due', 'rotate what is due now (the only mode so far)')
    .option('--dry-run', 'list what would be rotated and change nothing')
    .option('--pin-file <file>', TOKEN_PIN_HELP)
    .action(
      async (options: { vault: string; due: boolean; dryRun?: boolean }, command: Command) => {
        await withServices(command, options.vault, async (services, output) => {
          const run = await services.rotation.rotate({ dryRun: options.dryRun === true });
          const rows = run.items.map((item) => [
            item.outcome,
            item.certId,
            item.dueAt.slice(0, 10),
            item.successorId ?? '',
            item.subject,
          ]);
          output.result({ ...run }, [
            `${run.dryRun ? 'Dry run: ' : ''}${run.items.length} certificate(s) due; rotated ${run.rotated}, ` +
              `skipped ${run.skipped}, failed ${run.failed}`,
            ...table(
              rows.length
                ? [['OUTCOME', 'CERTIFICATE', 'DUE', 'SUCCESSOR', 'SUBJECT'], ...rows]
                : [],
            ),
            ...run.items
              .filter((item) => item.message)
              .map((item) => `  ${item.certId}: ${item.message}`),
          ]);
          if (run.failed) process.exitCode = 1;
        });
      },
    );

  withVaultOption(program.command('rotation-policy'))
    .description(
      'set the rotation interval, lead time and key policy for a certificate, a profile or the vault',
    )
    .requiredOption('--scope <scope>', ROTATION_SCOPES.join(', '), oneOf(ROTATION_SCOPES, 'scope'))
    .option('--target <id>', 'the certificate id or profile name (not for the vault scope)')
    .option(
      '--interval-days <n>',
      'rotate this many days after notBefore (default: on expiry only)',
      parseWholeNumber('interval-days'),
    )
    .requiredOption(
      '--lead-days <n>',
      'days ahead of the interval or expiry that count as due',
      parseWholeNumber('lead-days'),
    )
    .option(
      '--key-policy <policy>',
      'regenerate or reuse',
      oneOf(KEY_POLICIES, 'key-policy'),
      'regenerate',
    )
    .action(
      async (
        options: {
          vault: string;
          scope: RotationScope;
          target?: string;
          intervalDays?: number;
          leadDays: number;
          keyPolicy: KeyPolicy;
        },
        command: Command,
      ) => {
        if (options.scope === 'vault' && options.target !== undefined) {
          throw new MazeVaultError(
            'INVALID_INPUT',
            'The vault default applies to every certificate; leave out --target, or choose ' +
              '--scope certificate or --scope profile.',
          );
        }
        if (options.scope !== 'vault' && !options.target?.trim()) {
          throw new MazeVaultError(
            'INVALID_INPUT',
            `A ${options.scope} rotation policy needs --target with the ` +
              `${options.scope === 'certificate' ? 'certificate id (mazevault cert list)' : 'profile name'}.`,
          );
        }
        await withServices(command, options.vault, async (services, output) => {
          const policy = services.rotation.setPolicy({
            scope: options.scope,
            target: options.target ?? '*',
            intervalDays: options.intervalDays ?? null,
            leadDays: options.leadDays,
            keyPolicy: options.keyPolicy,
          });
          // Counted within this policy's scope only, not the whole vault.
          const due = services.rotation.dueCount(new Date(), policy);
          const dueAtOnce = services.rotation.dueAtOnceCount(policy);
          const warnings = dueAtOnce
            ? [
                `${dueAtOnce} certificate(s) under this policy live no longer than the ${policy.leadDays}-day ` +
                  'lead time, so their successors would be due at once: rotate renews each once and ' +
                  'then leaves the successor to you. Choose a lead time shorter than their validity.',
              ]
            : [];
          for (const warning of warnings) output.note(`warning: ${warning}`);
          output.result(
            { ...policy, due, warnings },
            `Rotation policy for ${policy.scope} ${policy.target}: interval ${policy.intervalDays ?? 'none'}, ` +
              `lead ${policy.leadDays} days, key policy ${policy.keyPolicy}; ${due} due now`,
          );
        });
      },
    );

  withVaultOption(ca.command('rollover'))
    .description('roll a CA over to a new key and certificate; the old one stays valid')
    .argument('<certId>', 'the CA certificate to roll over')
    .option('--cross-sign', 'issue NewWithOld and OldWithNew cross-certificates')
    .option('--reissue-subordinates', 'certify the subordinate CAs again under the new key')
    .option(
      '--algorithm <name>',
      `the new key's algorithm: ${KEY_ALGORITHMS.join(', ')}`,
      oneOf(KEY_ALGORITHMS, 'algorithm'),
    )
    .option(
      '--years <n>',
      'validity in years (default: as the old certificate)',
      parseWholeNumber('years'),
    )
    .option('--override-reason <text>', 'outside the validity policy; the reason is audited')
    .option('--pin-file <file>', TOKEN_PIN_HELP)
    .action(
      async (
        certId: string,
        options: {
          vault: string;
          crossSign?: boolean;
          reissueSubordinates?: boolean;
          algorithm?: KeyAlgorithm;
          years?: number;
          overrideReason?: string;
        },
        command: Command,
      ) => {
        await withServices(command, options.vault, async (services, output) => {
          const result = await services.rollover.rollover(certId, {
            crossSign: options.crossSign === true,
            reissueSubordinates: options.reissueSubordinates === true,
            ...(options.algorithm ? { algorithm: options.algorithm } : {}),
            ...(options.years ? { validity: { years: options.years } } : {}),
            ...(options.overrideReason ? { override: { reason: options.overrideReason } } : {}),
          });
          for (const warning of result.warnings) output.note(`warning: ${warning}`);
          output.result(
            {
              id: result.certificate.id,
              keyId: result.key.id,
              previousId: result.previous.id,
              newWithOldId: result.crossCertificates?.newWithOld.id ?? null,
              oldWithNewId: result.crossCertificates?.oldWithNew.id ?? null,
              reissuedIds: result.reissued.map((c) => c.id),
              certificate: result.certificate,
            },
            [
              `Rolled ${result.previous.id} over to ${result.certificate.id} (key ${result.key.id})`,
              ...(result.crossCertificates
                ? [
                    `  NewWithOld ${result.crossCertificates.newWithOld.id}`,
                    `  OldWithNew ${result.crossCertificates.oldWithNew.id}`,
                  ]
                : []),
              ...result.reissued.map((c) => `  re-issued ${c.id}  ${c.subject}`),
            ],
          );
        });
      },
    );
}
