// Handlers for issuance templates and batch issuance (issue #5). The template and batch services
// decide, validate and audit; this file reads the CSR or CSV the window names, translates, and
// runs a batch with progress and a cancel by the id the window gave it.
import type {
  BatchLineDto,
  CsrSource,
  IssuanceTemplateDto,
  BatchCsvSource,
} from '../../../shared/bridge/issuance-dto';
import type { IssuanceChannel } from '../../../shared/bridge/issuance-names';
import type { IssuedCertificate } from '../../../shared/contract';
import { MazeVaultError } from '../../../shared/errors';
import {
  batchCsvWarnings,
  parseBatchCsv,
  type BatchFailure,
  type BatchIssued,
} from '../../pki/batch';
import type { EndEntityResult } from '../../pki/issuance';
import type { IssuanceTemplate } from '../../pki/templates';
import type { Services } from '../../services';
import type { AppContext } from '../context';
import type { HandlerGroup } from '../handler';
import { toKeyDto } from '../views/key-view';
import { certificateDetailOf } from './certificates';
import { readSource } from './formats-files';

/** How often a running batch reports, at most: often enough for a bar, not a flood of events. */
const PROGRESS_INTERVAL_MS = 100;

export function toTemplateDto(template: IssuanceTemplate): IssuanceTemplateDto {
  return {
    id: template.id,
    name: template.name,
    profile: template.profile,
    subjectDefaults: template.subjectDefaults ?? null,
    sans: template.sans ?? [],
    crlDistributionPoint: template.crlDistributionPoint ?? null,
    keyPolicy: template.keyPolicy,
    keyAlgorithm: template.keyAlgorithm,
    validity: {
      ...(template.validity.years !== undefined ? { years: template.validity.years } : {}),
      ...(template.validity.days !== undefined ? { days: template.validity.days } : {}),
    },
    csrPrecedence: { ...template.csrPrecedence },
    createdAt: template.createdAt,
    updatedAt: template.updatedAt,
  };
}

function issuedOf(services: Services, result: EndEntityResult): IssuedCertificate {
  return {
    certificate: certificateDetailOf(services, result.certificate.id),
    key: result.key ? toKeyDto(result.key) : null,
  };
}

async function csrBytes(source: CsrSource): Promise<Buffer> {
  if (source.kind === 'pem') return Buffer.from(source.text.trim(), 'utf8');
  return (await readSource(source)).bytes;
}

async function csvText(source: BatchCsvSource): Promise<string> {
  if (source.kind === 'text') return source.text;
  const { name, bytes } = await readSource(source);
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (!text.includes('\0')) return text;
  } catch {
    // Not UTF-8: answered below.
  }
  throw new MazeVaultError(
    'MALFORMED',
    `${name} is not UTF-8 text; save the CSV as UTF-8 (header: cn or subject, sans, days).`,
  );
}

function toBatchLine(item: BatchIssued | BatchFailure): BatchLineDto {
  return 'certId' in item
    ? {
        outcome: 'issued',
        line: item.line,
        subject: item.subject,
        certId: item.certId,
        keyId: item.keyId,
      }
    : {
        outcome: 'failed',
        line: item.line,
        subject: item.subject,
        code: item.code,
        message: item.message,
      };
}

/** Running batches by the id the window gave them, per window session. */
const running = new WeakMap<AppContext, Map<string, AbortController>>();

function runningBatches(app: AppContext): Map<string, AbortController> {
  let batches = running.get(app);
  if (!batches) running.set(app, (batches = new Map()));
  return batches;
}

export const issuanceTemplateHandlers: HandlerGroup<IssuanceChannel> = {
  'templates:get': ({ template }, { app }) =>
    toTemplateDto(app.unlockedServices().templates.get(template)),

  'templates:save': (request, { app }) => {
    const saved = app.unlockedServices().templates.save(request.name, {
      profile: request.profile,
      keyPolicy: request.keyPolicy,
      keyAlgorithm: request.keyAlgorithm,
      validity: {
        ...(request.validity.years !== undefined ? { years: request.validity.years } : {}),
        ...(request.validity.days !== undefined ? { days: request.validity.days } : {}),
      },
      csrPrecedence: request.csrPrecedence,
      ...(request.subjectDefaults ? { subjectDefaults: request.subjectDefaults } : {}),
      ...(request.sans.length ? { sans: request.sans } : {}),
      ...(request.crlDistributionPoint
        ? { crlDistributionPoint: request.crlDistributionPoint }
        : {}),
    });
    return toTemplateDto(saved);
  },

  'templates:remove': ({ template, confirmed }, { app }) => {
    const templates = app.unlockedServices().templates;
    const found = templates.get(template);
    if (!confirmed) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        `Confirm that the template "${found.name}" is to be deleted; certificates issued with it stay.`,
      );
    }
    templates.remove(found.id);
    return { removed: found.name };
  },

  'templates:issue': async (request, { app, progress }) => {
    const services = app.unlockedServices();
    progress('Generating the key and signing');
    const result = await services.templates.issue(request.template, {
      issuerCertId: request.issuerId,
      subject: request.subject,
      sans: request.subjectAltNames,
      ...(request.validity ? { validity: request.validity } : {}),
    });
    return issuedOf(services, result);
  },

  'templates:plan-csr': async (request, { app }) => {
    const templates = app.unlockedServices().templates;
    const template = templates.get(request.template);
    const precedence = { ...template.csrPrecedence, ...request.precedence };
    const plan = templates.planCsr(template.id, await csrBytes(request.csr), precedence);
    return {
      subject: plan.subject,
      sans: plan.sans,
      precedence,
      csrSubject: plan.csrSubject,
      csrSans: plan.csrSans,
      templateSubjectDefaults: template.subjectDefaults ?? null,
      templateSans: template.sans ?? [],
    };
  },

  'templates:sign-csr': async (request, { app, progress }) => {
    const services = app.unlockedServices();
    const csr = await csrBytes(request.csr);
    progress('Checking the CSR and signing');
    const result = await services.templates.signCsr(request.template, {
      issuerCertId: request.issuerId,
      csr,
      precedence: request.precedence,
      ...(request.subjectAltNames ? { sans: request.subjectAltNames } : {}),
    });
    return issuedOf(services, result);
  },

  'batch:issue': async (request, { app, progress }) => {
    const services = app.unlockedServices();
    const batches = runningBatches(app);
    if (batches.has(request.batchId)) {
      throw new MazeVaultError('INVALID_INPUT', 'This batch is already running.');
    }
    const text = await csvText(request.csv);
    const rows = parseBatchCsv(text);
    if (rows.length === 0) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        'The CSV has a header but no lines; add one line per certificate.',
      );
    }

    const controller = new AbortController();
    batches.set(request.batchId, controller);
    let lastReport = 0;
    try {
      const result = await services.batch.issue({
        issuerCertId: request.issuerId,
        template: request.template,
        rows,
        signal: controller.signal,
        onProgress: (done, total) => {
          const now = Date.now();
          if (done < total && now - lastReport < PROGRESS_INTERVAL_MS) return;
          lastReport = now;
          progress(`${done} of ${total} lines done`, done / total);
        },
      });
      const lines = [...result.issued, ...result.failed]
        .sort((a, b) => a.line - b.line)
        .map(toBatchLine);
      return {
        lines,
        issued: result.issued.length,
        failed: result.failed.length,
        total: rows.length,
        cancelled: result.cancelled,
        warnings: batchCsvWarnings(text),
      };
    } finally {
      batches.delete(request.batchId);
    }
  },

  'batch:preview': async ({ csv }, { app }) => {
    // Only an unlocked vault's officer previews a batch; reading a path is a step towards issuing.
    app.unlockedServices();
    const text = await csvText(csv);
    const rows = parseBatchCsv(text);
    // Every line the batch will refuse as written, named before anything is issued.
    const lineProblems = rows
      .filter((row) => row.problem)
      .map((row) => `Line ${row.line}: ${row.problem}; this line will fail.`);
    return { total: rows.length, warnings: [...batchCsvWarnings(text), ...lineProblems] };
  },

  'batch:cancel': ({ batchId }, { app }) => {
    const controller = runningBatches(app).get(batchId);
    controller?.abort();
    return { cancelled: controller !== undefined };
  },
};
