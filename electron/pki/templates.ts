// Issuance templates kept in the vault: subject defaults, SANs, CRL distribution point, key policy
// and algorithm, validity, and for CSR signing which side wins per field (template or CSR), so an
// officer issues the same kind of certificate the same way every time.
import { randomUUID } from 'node:crypto';
import { AttributeTypeAndValue, Name, RelativeDistinguishedName } from '@peculiar/asn1-x509';
import { KEY_ALGORITHMS, type KeyAlgorithm } from '../../shared/algorithms';
import { MazeVaultError } from '../../shared/errors';
import type { Vault } from '../vault/vault';
import type { CrlService } from './crl';
import { readVerifiedCsr } from './csr';
import { checkCrlDistributionPoint, parseSubjectAltName } from './extensions';
import type { EndEntityResult, IssuanceService } from './issuance';
import { formatDistinguishedName, isControlCharacter, parseDistinguishedName } from './names';
import {
  checkValidityPolicy,
  profileByName,
  validityEnd,
  type EndEntityProfile,
  type ValidityRequest,
} from './profiles';
import { isKeyPolicy, type KeyPolicy } from './renewal';
import { generalNameText } from './renewal-terms';

export type Precedence = 'template' | 'csr';

/** The CSR fields whose winner the officer chooses; the profile fixes the rest (RFC 5280 §4.2). */
export interface CsrPrecedence {
  subject: Precedence;
  subjectAltName: Precedence;
}

export interface TemplateBody {
  profile: EndEntityProfile;
  /** RFC 4514 attributes added to every subject, e.g. "OU=Devices,O=Acme,C=DE". */
  subjectDefaults?: string;
  sans?: string[];
  crlDistributionPoint?: string;
  keyPolicy: KeyPolicy;
  keyAlgorithm: KeyAlgorithm;
  validity: ValidityRequest;
  csrPrecedence: CsrPrecedence;
}

export interface IssuanceTemplate extends TemplateBody {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
}

export interface CsrPlan {
  subject: string;
  sans: string[];
  csrSubject: string;
  csrSans: string[];
}

export interface SignCsrRequest {
  issuerCertId: string;
  csr: Buffer;
  /** Per-field choice for this signing; defaults to the template's. */
  precedence?: Partial<CsrPrecedence>;
  /** The SANs as the officer edited them before signing; replaces the merged list. */
  sans?: string[];
}

export interface IssueFromTemplateRequest {
  issuerCertId: string;
  /** A full RFC 4514 subject, or just the common name; the template's defaults fill the rest. */
  subject: string;
  sans?: string[];
  validity?: ValidityRequest;
}

interface TemplateRow {
  id: string;
  name: string;
  body: string;
  created_at: string;
  updated_at: string;
}

const END_ENTITY: readonly EndEntityProfile[] = ['tls-server', 'tls-client'];

function checkBody(body: TemplateBody): void {
  if (!END_ENTITY.includes(body.profile)) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `Templates are for end-entity profiles (${END_ENTITY.join(', ')}), not "${body.profile}".`,
    );
  }
  if (!KEY_ALGORITHMS.includes(body.keyAlgorithm)) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `Unknown key algorithm "${body.keyAlgorithm}"; use one of ${KEY_ALGORITHMS.join(', ')}.`,
    );
  }
  if (!isKeyPolicy(body.keyPolicy)) {
    throw new MazeVaultError('INVALID_INPUT', 'The key policy is regenerate or reuse.');
  }
  for (const field of ['subject', 'subjectAltName'] as const) {
    if (body.csrPrecedence?.[field] !== 'template' && body.csrPrecedence?.[field] !== 'csr') {
      throw new MazeVaultError(
        'INVALID_INPUT',
        `Say whether the template or the CSR wins for ${field}.`,
      );
    }
  }
  if (body.subjectDefaults) parseDistinguishedName(body.subjectDefaults);
  for (const san of body.sans ?? []) parseSubjectAltName(san);
  if (body.crlDistributionPoint) checkCrlDistributionPoint(body.crlDistributionPoint);
  // The validity must fit the profile's policy now, so the template never issues what is refused.
  const now = new Date();
  checkValidityPolicy(profileByName(body.profile), now, validityEnd(now, body.validity));
}

// Encoding order of the usual attributes, most general first (X.520 practice, as OpenSSL and CAs
// write them): C, ST, L, O, OU, then CN; others sit before CN.
const RDN_RANK: Record<string, number> = {
  '2.5.4.6': 0,
  '2.5.4.8': 1,
  '2.5.4.7': 2,
  '2.5.4.9': 3,
  '2.5.4.10': 4,
  '2.5.4.11': 5,
  '2.5.4.3': 9,
  '1.2.840.113549.1.9.1': 10,
};

/**
 * Merges two names attribute by attribute (by OID): the winner's value stands where both have
 * one, and the other's extra attributes are kept. The winner's RDNs keep their own order (a CSR
 * written CN first stays CN first); each extra RDN goes where its usual rank (C … OU, CN) puts it
 * in the direction the winner is written, general-first or specific-first.
 */
export function mergeNames(winner: Name, other: Name): Name {
  const winnerTypes = new Set(
    [...winner].flatMap((rdn) => [...rdn].map((attribute) => attribute.type)),
  );
  const extra = [...other].filter((rdn) =>
    [...rdn].every((attribute) => !winnerTypes.has(attribute.type)),
  );
  const rank = (rdn: RelativeDistinguishedName) => RDN_RANK[[...rdn][0]?.type ?? ''] ?? 6;
  const ranks = [...winner].map(rank);
  // X.501 encodes the most general RDN first; some tools write the most specific first.
  const specificFirst = ranks.length > 1 && ranks[0]! > ranks.at(-1)!;
  const comesBefore = (a: number, b: number) => (specificFirst ? a > b : a < b);

  const merged = [...winner];
  const ordered = extra
    .map((rdn, index) => ({ rdn, index }))
    .sort((a, b) =>
      specificFirst
        ? rank(b.rdn) - rank(a.rdn) || a.index - b.index
        : rank(a.rdn) - rank(b.rdn) || a.index - b.index,
    );
  for (const { rdn } of ordered) {
    const at = merged.findIndex((existing) => comesBefore(rank(rdn), rank(existing)));
    merged.splice(at < 0 ? merged.length : at, 0, rdn);
  }
  return new Name(
    merged.map(
      (rdn) =>
        new RelativeDistinguishedName(
          [...rdn].map((a) => new AttributeTypeAndValue({ type: a.type, value: a.value })),
        ),
    ),
  );
}

function isFullSubject(subject: string): boolean {
  return /^\s*[A-Za-z][A-Za-z0-9.-]*\s*=/.test(subject) || /^\s*\d+(\.\d+)+\s*=/.test(subject);
}

function escapeCommonName(value: string): string {
  return value.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`).replace(/^[ #]/, (c) => `\\${c}`);
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}

export class TemplateService {
  constructor(
    private readonly vault: Vault,
    private readonly issuance: IssuanceService,
    private readonly crls: CrlService,
  ) {}

  list(): IssuanceTemplate[] {
    const rows = this.vault.db
      .prepare('SELECT * FROM issuance_templates ORDER BY name')
      .all() as TemplateRow[];
    return rows.map(toTemplate);
  }

  /** By id or by name. */
  get(idOrName: string): IssuanceTemplate {
    const row = this.vault.db
      .prepare('SELECT * FROM issuance_templates WHERE id = ? OR name = ?')
      .get(idOrName, idOrName) as TemplateRow | undefined;
    if (!row) {
      throw new MazeVaultError('NOT_FOUND', `No issuance template "${idOrName}" in this vault.`);
    }
    return toTemplate(row);
  }

  /** Creates the template, or replaces the one with the same name; audited. */
  save(name: string, body: TemplateBody): IssuanceTemplate {
    const trimmed = name.trim();
    if (!trimmed) throw new MazeVaultError('INVALID_INPUT', 'A template needs a name.');
    if ([...trimmed].some(isControlCharacter)) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        'A template name must not hold control characters (newline, tab, escape…).',
      );
    }
    checkBody(body);
    const now = new Date().toISOString();
    const stored: TemplateBody = {
      profile: body.profile,
      keyPolicy: body.keyPolicy,
      keyAlgorithm: body.keyAlgorithm,
      validity: body.validity,
      csrPrecedence: {
        subject: body.csrPrecedence.subject,
        subjectAltName: body.csrPrecedence.subjectAltName,
      },
      ...(body.subjectDefaults ? { subjectDefaults: body.subjectDefaults } : {}),
      ...(body.sans?.length ? { sans: body.sans } : {}),
      ...(body.crlDistributionPoint ? { crlDistributionPoint: body.crlDistributionPoint } : {}),
    };
    this.vault.transaction(() => {
      this.vault.db
        .prepare(
          `INSERT INTO issuance_templates (id, name, body, created_at, updated_at) VALUES (@id, @name, @body, @now, @now)
           ON CONFLICT (name) DO UPDATE SET body = @body, updated_at = @now`,
        )
        .run({ id: `tpl_${randomUUID()}`, name: trimmed, body: JSON.stringify(stored), now });
      this.vault.record({
        action: 'template.save',
        subject: trimmed,
        outcome: 'success',
        details: { ...stored },
      });
    });
    return this.get(trimmed);
  }

  remove(idOrName: string): void {
    const template = this.get(idOrName);
    this.vault.transaction(() => {
      this.vault.db.prepare('DELETE FROM issuance_templates WHERE id = ?').run(template.id);
      this.vault.record({ action: 'template.remove', subject: template.name, outcome: 'success' });
    });
  }

  /** The subject a template gives a request: a bare common name or a full DN, plus the defaults. */
  subjectFor(template: IssuanceTemplate, subject: string): string {
    const given = subject.trim();
    if (!given) {
      throw new MazeVaultError('INVALID_INPUT', 'Give a subject or at least a common name.');
    }
    const name = parseDistinguishedName(
      isFullSubject(given) ? given : `CN=${escapeCommonName(given)}`,
    );
    if (!template.subjectDefaults) return formatDistinguishedName(name);
    return formatDistinguishedName(
      mergeNames(name, parseDistinguishedName(template.subjectDefaults)),
    );
  }

  /** A new key and certificate made the template's way (the key policy's Regenerate). */
  async issue(
    templateIdOrName: string,
    request: IssueFromTemplateRequest,
  ): Promise<EndEntityResult> {
    const template = this.get(templateIdOrName);
    const crlDistributionPoint =
      template.crlDistributionPoint ?? this.crls.distributionPoint(request.issuerCertId);
    return this.issuance.issueEndEntity({
      issuerCertId: request.issuerCertId,
      profile: template.profile,
      subject: this.subjectFor(template, request.subject),
      sans: dedupe([...(request.sans ?? []), ...(template.sans ?? [])]),
      key: { algorithm: template.keyAlgorithm },
      validity: request.validity ?? template.validity,
      ...(crlDistributionPoint ? { crlDistributionPoint } : {}),
    });
  }

  /** What signing this CSR with the template would certify, for the officer to review and edit. */
  planCsr(templateIdOrName: string, csr: Buffer, precedence: Partial<CsrPrecedence> = {}): CsrPlan {
    const template = this.get(templateIdOrName);
    const choice = { ...template.csrPrecedence, ...precedence };
    const parsed = readVerifiedCsr(csr);
    const csrSans = parsed.requestedSans
      .map((name) => generalNameText(name))
      .filter((text): text is string => !!text);
    const defaults = template.subjectDefaults
      ? parseDistinguishedName(template.subjectDefaults)
      : new Name([]);
    const subject =
      choice.subject === 'csr'
        ? mergeNames(parsed.subject, defaults)
        : mergeNames(defaults, parsed.subject);
    const templateSans = template.sans ?? [];
    // "Template wins" is the officer's choice not to certify what the requester asked for: a
    // template without SANs then gives none (the officer may add them), never the CSR's.
    const sans =
      choice.subjectAltName === 'csr' ? (csrSans.length ? csrSans : templateSans) : templateSans;
    return {
      subject: formatDistinguishedName(subject),
      sans,
      csrSubject: parsed.subjectText,
      csrSans,
    };
  }

  /** Signs a CSR with the template's profile and validity, the chosen winners, and edited SANs. */
  async signCsr(templateIdOrName: string, request: SignCsrRequest): Promise<EndEntityResult> {
    const template = this.get(templateIdOrName);
    const plan = this.planCsr(template.id, request.csr, request.precedence);
    const crlDistributionPoint =
      template.crlDistributionPoint ?? this.crls.distributionPoint(request.issuerCertId);
    const result = await this.issuance.issueEndEntity({
      issuerCertId: request.issuerCertId,
      profile: template.profile,
      subject: plan.subject,
      sans: request.sans ?? plan.sans,
      csr: request.csr,
      validity: template.validity,
      ...(crlDistributionPoint ? { crlDistributionPoint } : {}),
    });
    this.vault.record({
      action: 'template.sign-csr',
      subject: result.certificate.id,
      outcome: 'success',
      details: {
        template: template.name,
        precedence: { ...template.csrPrecedence, ...request.precedence },
        sansEdited: request.sans !== undefined,
      },
    });
    return result;
  }
}

function toTemplate(row: TemplateRow): IssuanceTemplate {
  return {
    ...(JSON.parse(row.body) as TemplateBody),
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
