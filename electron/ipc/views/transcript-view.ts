// The printable record of a key ceremony: who was there, when, which key in which store, what was
// signed, the fingerprints a relying party compares, and the audit events that prove it happened.
import type { CertificateDetail, KeyDto } from '../../../shared/contract';
import type { AuditEvent, AuditVerification } from '../../audit/log';

export interface TranscriptFacts {
  vaultPath: string;
  preparedBy: string;
  preparedAt: string;
  witnesses: readonly string[];
  notes?: string;
  certificate: CertificateDetail;
  key: KeyDto | null;
  /** Where the key lives, in words (for a token: its serial, profile and CKA_ID). */
  keyStore?: string;
  /** The audit events about the key and the certificate, oldest first. */
  events: readonly AuditEvent[];
  verification: AuditVerification;
  /** The audit event that records this transcript being made. */
  transcriptEvent: AuditEvent;
}

/** Markdown table cells: a pipe or a line break would split the row. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A value that might start with Markdown syntax, shown literally. */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** SHA-256 in groups of four, so two people can read it aloud and compare. */
export function groupedFingerprint(hex: string): string {
  return hex.toUpperCase().replace(/(.{4})(?=.)/g, '$1 ');
}

export function ceremonyTitle(certificate: CertificateDetail): string {
  return certificate.selfSigned ? 'Root CA key ceremony' : 'Certificate issuance record';
}

export function renderTranscript(facts: TranscriptFacts): string {
  const { certificate, key } = facts;
  const lines: string[] = [];
  const row = (name: string, value: string): void => {
    lines.push(`| ${cell(name)} | ${cell(value)} |`);
  };

  lines.push(`# ${ceremonyTitle(certificate)}: ${cell(certificate.displayName)}`, '');
  lines.push('| | |', '|---|---|');
  row('Prepared by', facts.preparedBy);
  row('Prepared at (UTC)', facts.preparedAt);
  row('Vault file', facts.vaultPath);
  row('Witnesses', facts.witnesses.length ? facts.witnesses.join(', ') : 'none recorded');
  lines.push('');

  lines.push('## Key', '');
  if (key) {
    lines.push('| | |', '|---|---|');
    row('Key id', key.id);
    row('Label', key.label);
    row('Algorithm', key.algorithm);
    row('Key store', facts.keyStore ?? key.provider);
    row('Created (UTC)', key.createdAt);
    row('State', key.stateLabel);
    row('Owner', key.owner);
    lines.push('');
  } else {
    lines.push('The key of this certificate is not held in this vault.', '');
  }
  lines.push(
    'SPKI SHA-256:',
    '',
    `    ${groupedFingerprint(certificate.publicKey.spkiSha256)}`,
    '',
  );

  lines.push('## Certificate', '');
  lines.push('| | |', '|---|---|');
  row('Certificate id', certificate.id);
  row('Subject', certificate.subject);
  row('Issuer', certificate.issuer);
  row('Serial number', certificate.serialNumber);
  row('Not before (UTC)', certificate.notBefore);
  row('Not after (UTC)', certificate.notAfter);
  row('Public key', certificate.publicKey.description);
  row('Signature algorithm', certificate.signatureAlgorithm.name);
  lines.push('');
  lines.push(
    'Certificate SHA-256:',
    '',
    `    ${groupedFingerprint(certificate.fingerprints.sha256)}`,
  );
  lines.push('');
  lines.push('Extensions:', '');
  for (const extension of certificate.extensions) {
    const critical = extension.critical ? ' (critical)' : '';
    lines.push(`- ${extension.name}${critical}: ${extension.lines.map(code).join(', ')}`);
  }
  lines.push('');

  lines.push('## Audit trail', '');
  lines.push(
    '| Seq | Time (UTC) | Actor | Action | Subject | Outcome |',
    '|---|---|---|---|---|---|',
  );
  for (const event of [...facts.events, facts.transcriptEvent]) {
    lines.push(
      `| ${event.seq} | ${cell(event.time)} | ${cell(event.actor)} | ${cell(event.action)} | ` +
        `${cell(event.subject)} | ${event.outcome} |`,
    );
  }
  lines.push('');
  const broken = facts.verification.firstBroken;
  const verdict = facts.verification.ok
    ? `intact over ${facts.verification.events} events`
    : `BROKEN at event ${broken?.seq}: ${broken?.reason}`;
  lines.push(`Audit chain when this transcript was made: ${verdict}.`);
  lines.push(`This transcript is recorded as audit event ${facts.transcriptEvent.seq}.`, '');

  const overrides = facts.events.filter((event) => event.action === 'policy.override');
  if (overrides.length) {
    lines.push('## Policy overrides', '');
    for (const event of overrides) {
      const details = event.details as { policy?: unknown; reason?: unknown };
      lines.push(
        `- Event ${event.seq}, ${cell(event.actor)}: ${code(String(details.policy ?? 'policy'))} ` +
          `overridden; reason: ${code(String(details.reason ?? 'none recorded'))}`,
      );
    }
    lines.push('');
  }

  if (facts.notes?.trim()) {
    // Notes are shown as typed, never as Markdown: they must not add headings or table rows to
    // the document the witnesses sign.
    const notes = facts.notes.trim();
    const longestRun = Math.max(0, ...(notes.match(/`+/g) ?? []).map((run) => run.length));
    const fence = '`'.repeat(Math.max(3, longestRun + 1));
    lines.push('## Notes', '', `${fence}text`, notes, fence, '');
  }

  lines.push('## Signatures', '');
  for (const name of [facts.preparedBy, ...facts.witnesses]) {
    lines.push(`${name}: ______________________________  Date: ____________`, '');
  }
  return lines.join('\n');
}
