// Batch issuance: a CSV list of subjects (say a thousand device certificates) issued in one run,
// each with its own new key, reporting progress as it goes. Every certificate is its own audited
// issuance, so a failure on one line leaves the others issued and says which line and why.
import { MazeVaultError } from '../../shared/errors';
import type { CertId, KeyId } from '../../shared/ids';
import type { Vault } from '../vault/vault';
import type { TemplateService } from './templates';

export interface BatchRow {
  /** The CSV line the row came from, 1-based, for the officer's error list. */
  line: number;
  subject: string;
  sans: string[];
  days?: number;
  /** Why this line cannot be issued as written; it fails alone, like any other bad line. */
  problem?: string;
}

export interface BatchIssued {
  line: number;
  subject: string;
  certId: CertId;
  keyId: KeyId | null;
}

export interface BatchFailure {
  line: number;
  subject: string;
  code: string;
  message: string;
}

export interface BatchResult {
  issued: BatchIssued[];
  failed: BatchFailure[];
  cancelled: boolean;
}

export interface BatchRequest {
  issuerCertId: string;
  /** The issuance template (name or id) that gives profile, subject defaults, key and validity. */
  template: string;
  /** The CSV text, or rows already parsed. */
  csv?: string;
  rows?: BatchRow[];
  onProgress?: (done: number, total: number, last: BatchIssued | BatchFailure) => void;
  signal?: AbortSignal;
}

export const MAX_BATCH_ROWS = 100_000;

/** RFC 4180 fields: commas, quotes doubled inside quoted fields, CRLF or LF line ends. */
function csvRecords(text: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line += 1;
        field += char;
      }
      continue;
    }
    if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      fields.push(field);
      records.push({ line: recordLine, fields });
      fields = [];
      field = '';
      line += 1;
      recordLine = line;
    } else field += char;
  }
  if (quoted) {
    throw new MazeVaultError(
      'MALFORMED',
      `The CSV has a quoted field that is never closed (from line ${recordLine}).`,
    );
  }
  if (field !== '' || fields.length) {
    fields.push(field);
    records.push({ line: recordLine, fields });
  }
  return records.filter((record) => record.fields.some((value) => value.trim() !== ''));
}

/**
 * Reads the batch CSV. The header names the columns: `cn` or `subject` (one is required),
 * `sans` (separated by spaces or semicolons, e.g. "DNS:a.example.com;IP:192.0.2.1"), `days`.
 */
export function parseBatchCsv(text: string): BatchRow[] {
  return readBatchCsv(text).rows;
}

const BATCH_COLUMNS = ['cn', 'subject', 'sans', 'days'];

/**
 * What a batch CSV holds that the batch will not read: header columns it does not know, a `cn`
 * beside a `subject`, and lines with more fields than the header names. Each is ignored, so the
 * officer must hear about it before certificates are issued without it.
 */
export function batchCsvWarnings(text: string): string[] {
  return readBatchCsv(text).warnings;
}

function readBatchCsv(text: string): { rows: BatchRow[]; warnings: string[] } {
  const [header, ...records] = csvRecords(text.replace(/^\uFEFF/, ''));
  if (!header) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      'The CSV is empty; give a header line (cn,sans,days) and one line per certificate.',
    );
  }
  const columns = header.fields.map((name) => name.trim().toLowerCase());
  const at = (name: string) => columns.indexOf(name);
  const subjectColumn = at('subject') >= 0 ? at('subject') : at('cn');
  if (subjectColumn < 0) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `The CSV header needs a "cn" or "subject" column; it has ${columns.join(', ')}.`,
    );
  }
  if (records.length > MAX_BATCH_ROWS) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `A batch holds at most ${MAX_BATCH_ROWS} certificates; split the CSV.`,
    );
  }
  const warnings: string[] = [];
  const unknown = header.fields
    .map((name, index) => ({ name: name.trim(), index }))
    .filter(({ name }) => !BATCH_COLUMNS.includes(name.toLowerCase()));
  if (unknown.length > 0) {
    const names = unknown.map(({ name, index }) => `"${name || `(column ${index + 1})`}"`);
    warnings.push(
      `The CSV column${unknown.length === 1 ? '' : 's'} ${names.join(', ')} ` +
        `${unknown.length === 1 ? 'is' : 'are'} ignored: a batch reads only cn or subject, sans and days.`,
    );
  }
  if (at('subject') >= 0 && at('cn') >= 0) {
    warnings.push('The CSV has both "subject" and "cn" columns; "cn" is ignored.');
  }
  for (const record of records) {
    if (record.fields.length <= header.fields.length) continue;
    const extra = record.fields.slice(header.fields.length).map((value) => `"${value}"`);
    warnings.push(
      `Line ${record.line} has ${record.fields.length} fields but the header names ` +
        `${header.fields.length} columns; ${extra.join(', ')} ${extra.length === 1 ? 'is' : 'are'} ignored ` +
        '(quote a field that holds a comma).',
    );
  }
  const rows = records.map((record) => {
    const subject = (record.fields[subjectColumn] ?? '').trim();
    const sansText = at('sans') >= 0 ? (record.fields[at('sans')] ?? '') : '';
    const daysText = at('days') >= 0 ? (record.fields[at('days')] ?? '').trim() : '';
    const badDays = daysText !== '' && !/^\d+$/.test(daysText);
    return {
      line: record.line,
      subject,
      sans: sansText.split(/[;\s]+/).filter(Boolean),
      ...(daysText && !badDays ? { days: Number(daysText) } : {}),
      ...(badDays ? { problem: `days must be a whole number, not "${shortened(daysText)}"` } : {}),
    };
  });
  return { rows, warnings };
}

export class BatchService {
  constructor(
    private readonly vault: Vault,
    private readonly templates: TemplateService,
  ) {}

  async issue(request: BatchRequest): Promise<BatchResult> {
    const rows = request.rows ?? parseBatchCsv(request.csv ?? '');
    const template = this.templates.get(request.template);
    const result: BatchResult = { issued: [], failed: [], cancelled: false };

    for (const row of rows) {
      if (request.signal?.aborted) {
        result.cancelled = true;
        break;
      }
      let last: BatchIssued | BatchFailure;
      try {
        if (row.problem) {
          throw new MazeVaultError('INVALID_INPUT', `Line ${row.line}: ${row.problem}.`);
        }
        const issued = await this.templates.issue(template.id, {
          issuerCertId: request.issuerCertId,
          subject: row.subject,
          sans: row.sans,
          ...(row.days !== undefined ? { validity: { days: row.days } } : {}),
        });
        last = {
          line: row.line,
          subject: issued.certificate.subject,
          certId: issued.certificate.id,
          keyId: issued.key?.id ?? null,
        };
        result.issued.push(last);
      } catch (error) {
        const known = error instanceof MazeVaultError;
        last = {
          line: row.line,
          // A pasted 5 MB field must not come back whole in every report line.
          subject: shortened(row.subject),
          code: known ? error.code : 'INTERNAL',
          message: known
            ? shortened(error.message, 1000)
            : 'An internal error stopped this line; the details are in the log.',
        };
        result.failed.push(last);
      }
      request.onProgress?.(result.issued.length + result.failed.length, rows.length, last);
    }

    this.vault.record({
      action: 'cert.batch-issue',
      subject: request.issuerCertId,
      outcome: result.failed.length ? 'failure' : 'success',
      details: {
        template: template.name,
        rows: rows.length,
        issued: result.issued.length,
        failed: result.failed.length,
        cancelled: result.cancelled,
      },
    });
    return result;
  }
}

/** Long CSV values cut for reports: the line number already says where the whole value is. */
function shortened(text: string, limit = 200): string {
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length} characters)` : text;
}
