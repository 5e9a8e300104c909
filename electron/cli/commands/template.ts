// mazevault template …: named issuance templates kept in the vault; mazevault cert batch and
// cert sign-csr: issue many certificates from a CSV, or one CSR, the template's way.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { KEY_ALGORITHMS, type KeyAlgorithm } from '../../../shared/algorithms';
import { MazeVaultError } from '../../../shared/errors';
import { batchCsvWarnings, type BatchFailure, type BatchIssued } from '../../pki/batch';
import { parseSubjectAltName } from '../../pki/extensions';
import { profileByName, type EndEntityProfile } from '../../pki/profiles';
import type { KeyPolicy } from '../../pki/renewal';
import type { CsrPrecedence, IssuanceTemplate, Precedence } from '../../pki/templates';
import { collect, oneOf, parseWholeNumber, withServices, withVaultOption } from '../context';
import { table } from '../output';

const END_ENTITY_PROFILES = ['tls-server', 'tls-client'] as const;
const KEY_POLICIES = ['regenerate', 'reuse'] as const;
const PRECEDENCES = ['template', 'csr'] as const;

function readInput(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    throw new MazeVaultError('IO_ERROR', `Cannot read the ${what} ${path}; check the path.`);
  }
}

function templateText(template: IssuanceTemplate): string[] {
  const validity = [
    template.validity.years ? `${template.validity.years} years` : '',
    template.validity.days ? `${template.validity.days} days` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return [
    `Template ${template.name} (${template.id})`,
    `  profile           ${template.profile}`,
    `  subject defaults  ${template.subjectDefaults ?? '-'}`,
    `  SANs              ${template.sans?.join(', ') || '-'}`,
    `  CRL DP            ${template.crlDistributionPoint ?? "the issuer's CRL policy"}`,
    `  key               ${template.keyAlgorithm}, policy ${template.keyPolicy}`,
    `  validity          ${validity || '-'}`,
    `  CSR signing       subject from ${template.csrPrecedence.subject}, ` +
      `SANs from ${template.csrPrecedence.subjectAltName}`,
  ];
}

interface SaveOptions {
  vault: string;
  name: string;
  profile: EndEntityProfile;
  subjectDefaults?: string;
  san: string[];
  crlUrl?: string;
  keyPolicy: KeyPolicy;
  algorithm: KeyAlgorithm;
  years?: number;
  days?: number;
  subjectFrom: Precedence;
  sansFrom: Precedence;
}

function precedenceOptions(command: Command, defaults: boolean): Command {
  const subject = '--subject-from <side>';
  const sans = '--sans-from <side>';
  const subjectText = 'CSR signing: whether the template or the CSR gives the subject';
  const sansText = 'CSR signing: whether the template or the CSR gives the SANs';
  return defaults
    ? command
        .option(subject, subjectText, oneOf(PRECEDENCES, 'subject-from'), 'csr')
        .option(sans, sansText, oneOf(PRECEDENCES, 'sans-from'), 'csr')
    : command
        .option(subject, subjectText, oneOf(PRECEDENCES, 'subject-from'))
        .option(sans, sansText, oneOf(PRECEDENCES, 'sans-from'));
}

function registerTemplateCommands(program: Command): void {
  const template = program
    .command('template')
    .description('named issuance templates: subject defaults, SANs, key policy, validity');

  precedenceOptions(
    withVaultOption(template.command('save'))
      .description('create a template, or replace the one with the same name')
      .requiredOption('--name <name>', 'the template name')
      .option('--profile <name>', 'tls-server or tls-client', oneOf(END_ENTITY_PROFILES, 'profile'))
      .option('--subject-defaults <dn>', 'attributes added to every subject, e.g. "O=Acme,C=DE"')
      .option('--san <name>', 'a SAN every certificate gets (repeatable)', collect, [])
      .option('--crl-url <uri>', "CRL distribution point (default: the issuer's CRL policy)")
      .option(
        '--key-policy <policy>',
        'regenerate or reuse on renewal',
        oneOf(KEY_POLICIES, 'key-policy'),
      )
      .option(
        '--algorithm <name>',
        `new keys: ${KEY_ALGORITHMS.join(', ')}`,
        oneOf(KEY_ALGORITHMS, 'algorithm'),
      )
      .option('--years <n>', 'validity in years', parseWholeNumber('years'))
      .option('--days <n>', 'validity in days', parseWholeNumber('days')),
    true,
  ).action(async (options: SaveOptions, command: Command) => {
    if (options.years === undefined && options.days === undefined) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        'Give the validity with --days or --years (end-entity: 90 days to 1 year).',
      );
    }
    await withServices(command, options.vault, async (services, output) => {
      const saved = services.templates.save(options.name, {
        profile: options.profile ?? 'tls-server',
        keyPolicy: options.keyPolicy ?? 'regenerate',
        keyAlgorithm: options.algorithm ?? 'ec-p256',
        validity: {
          ...(options.years !== undefined ? { years: options.years } : {}),
          ...(options.days !== undefined ? { days: options.days } : {}),
        },
        csrPrecedence: { subject: options.subjectFrom, subjectAltName: options.sansFrom },
        ...(options.subjectDefaults ? { subjectDefaults: options.subjectDefaults } : {}),
        ...(options.san.length ? { sans: options.san } : {}),
        ...(options.crlUrl ? { crlDistributionPoint: options.crlUrl } : {}),
      });
      output.result({ template: saved }, templateText(saved));
    });
  });

  withVaultOption(template.command('list'))
    .description('list the templates in the vault')
    .action(async (options: { vault: string }, command: Command) => {
      await withServices(command, options.vault, async (services, output) => {
        const templates = services.templates.list();
        output.result(
          { templates },
          templates.length
            ? table([
                ['NAME', 'PROFILE', 'KEY', 'POLICY', 'SUBJECT DEFAULTS'],
                ...templates.map((t) => [
                  t.name,
                  t.profile,
                  t.keyAlgorithm,
                  t.keyPolicy,
                  t.subjectDefaults ?? '-',
                ]),
              ])
            : ['No templates.'],
        );
      });
    });

  withVaultOption(template.command('show'))
    .description('show one template')
    .argument('<name>', 'the template name or id')
    .action(async (name: string, options: { vault: string }, command: Command) => {
      await withServices(command, options.vault, async (services, output) => {
        const found = services.templates.get(name);
        output.result({ template: found }, templateText(found));
      });
    });

  withVaultOption(template.command('remove'))
    .description('delete a template (certificates issued with it are not touched)')
    .argument('<name>', 'the template name or id')
    .action(async (name: string, options: { vault: string }, command: Command) => {
      await withServices(command, options.vault, async (services, output) => {
        services.templates.remove(name);
        output.result({ removed: name }, `Template ${name} removed.`);
      });
    });
}

function batchLine(item: BatchIssued | BatchFailure): string[] {
  return 'certId' in item
    ? [String(item.line), 'issued', item.certId, item.subject]
    : [String(item.line), 'failed', item.code, `${item.subject}: ${item.message}`];
}

function registerBatchCommands(program: Command): void {
  const cert = program.commands.find((command) => command.name() === 'cert');
  if (!cert) throw new Error('The cert command group registers before the template commands.');

  withVaultOption(cert.command('batch'))
    .description('issue one certificate per CSV line (header: cn or subject, sans, days)')
    .requiredOption('--issuer <certId>', 'the issuing CA certificate')
    .requiredOption('--template <name>', 'the issuance template')
    .requiredOption('--csv <file>', 'the CSV file')
    .action(
      async (
        options: { vault: string; issuer: string; template: string; csv: string },
        command: Command,
      ) => {
        const csv = readInput(options.csv, 'CSV file').toString('utf8');
        const warnings = batchCsvWarnings(csv);
        await withServices(command, options.vault, async (services, output) => {
          for (const warning of warnings) output.note(`Warning: ${warning}`);
          const controller = new AbortController();
          const onInterrupt = () => controller.abort();
          process.once('SIGINT', onInterrupt);
          let lastNote = Date.now();
          try {
            const result = await services.batch.issue({
              issuerCertId: options.issuer,
              template: options.template,
              csv,
              signal: controller.signal,
              onProgress: (done, total) => {
                if (Date.now() - lastNote < 1000) return;
                lastNote = Date.now();
                output.note(`Issued ${done} of ${total}…`);
              },
            });
            const rows = [...result.issued, ...result.failed].sort((a, b) => a.line - b.line);
            output.result({ ...result, warnings }, [
              ...table([['LINE', 'OUTCOME', 'ID', 'SUBJECT'], ...rows.map(batchLine)]),
              `${result.issued.length} issued, ${result.failed.length} failed` +
                (result.cancelled ? ', stopped early (interrupted).' : '.'),
            ]);
            if (result.failed.length > 0 || result.cancelled) {
              throw new MazeVaultError(
                'INVALID_INPUT',
                result.cancelled
                  ? 'The batch was interrupted; the lines listed as issued stay issued.'
                  : `${result.failed.length} of ${rows.length} lines failed; the list says why.`,
              );
            }
          } finally {
            process.removeListener('SIGINT', onInterrupt);
          }
        });
      },
    );

  precedenceOptions(
    withVaultOption(cert.command('sign-csr'))
      .description("sign a CSR the template's way; --plan shows what would be certified")
      .requiredOption('--issuer <certId>', 'the issuing CA certificate')
      .requiredOption('--template <name>', 'the issuance template')
      .requiredOption('--csr <file>', 'the PKCS#10 CSR (PEM or DER)')
      .option(
        '--san <name>',
        'the SANs to certify, replacing the merged list (repeatable)',
        collect,
        [],
      )
      .option('--plan', 'only show the subject and SANs that would be certified'),
    false,
  ).action(
    async (
      options: {
        vault: string;
        issuer: string;
        template: string;
        csr: string;
        san: string[];
        plan?: boolean;
        subjectFrom?: Precedence;
        sansFrom?: Precedence;
      },
      command: Command,
    ) => {
      const csr = readInput(options.csr, 'CSR file');
      const precedence: Partial<CsrPrecedence> = {
        ...(options.subjectFrom ? { subject: options.subjectFrom } : {}),
        ...(options.sansFrom ? { subjectAltName: options.sansFrom } : {}),
      };
      await withServices(command, options.vault, async (services, output) => {
        const merged = services.templates.planCsr(options.template, csr, precedence);
        // The plan shows what signing would certify: the officer's --san replaces the merged list.
        const plan = options.san.length ? { ...merged, sans: options.san } : merged;
        for (const san of plan.sans) parseSubjectAltName(san);
        const { profile } = services.templates.get(options.template);
        if (profileByName(profile).requiresSan && !plan.sans.length) {
          throw new MazeVaultError(
            'INVALID_INPUT',
            `Template "${options.template}" issues ${profile} certificates, which need at least ` +
              'one subject alternative name; neither the template nor the CSR gives one: add ' +
              '--san DNS:host.',
          );
        }
        if (options.plan) {
          output.result({ plan }, [
            `Subject  ${plan.subject}   (CSR: ${plan.csrSubject})`,
            `SANs     ${plan.sans.join(', ') || '-'}   (CSR: ${plan.csrSans.join(', ') || '-'})`,
          ]);
          return;
        }
        const { certificate } = await services.templates.signCsr(options.template, {
          issuerCertId: options.issuer,
          csr,
          precedence,
          ...(options.san.length ? { sans: options.san } : {}),
        });
        output.result({ id: certificate.id, certificate }, [
          `Issued ${certificate.id}`,
          `  subject  ${certificate.subject}`,
          `  expires  ${certificate.notAfter}`,
        ]);
      });
    },
  );
}

export function registerTemplateAndBatchCommands(program: Command): void {
  registerTemplateCommands(program);
  registerBatchCommands(program);
}
