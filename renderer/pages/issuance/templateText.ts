// Words for issuance templates in the window: validity, key policy, which side wins for a CSR,
// and the form's fields read back into a templates:save request.
import type { KeyAlgorithm } from '../../../shared/algorithms';
import type { IssuanceTemplateDto, Precedence } from '../../../shared/bridge/issuance-dto';
import type { Request } from '../../../shared/contract';
import type { SubjectFields } from '../../format/distinguishedName';
import { parseSubjectAltNames } from '../../format/subjectAltNames';

export type TemplateProfile = IssuanceTemplateDto['profile'];
export type KeyPolicy = IssuanceTemplateDto['keyPolicy'];
export type ValidityUnit = 'days' | 'years';

export const PROFILE_LABELS: Record<TemplateProfile, string> = {
  'tls-server': 'TLS server (serverAuth)',
  'tls-client': 'TLS client (clientAuth)',
};

export const PRECEDENCE_LABELS: Record<Precedence, string> = {
  template: 'Template wins',
  csr: 'CSR wins',
};

export function validityText(validity: IssuanceTemplateDto['validity']): string {
  const parts = [
    validity.years ? `${validity.years} year${validity.years === 1 ? '' : 's'}` : '',
    validity.days ? `${validity.days} day${validity.days === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  return parts.join(' ') || '—';
}

/** The template form's fields as the officer typed them. */
export interface TemplateFields {
  name: string;
  profile: TemplateProfile;
  subjectDefaults: string;
  sans: string;
  crlDistributionPoint: string;
  keyAlgorithm: KeyAlgorithm;
  keyPolicy: KeyPolicy;
  validityAmount: string;
  validityUnit: ValidityUnit;
  subjectFrom: Precedence;
  sansFrom: Precedence;
}

export const NEW_TEMPLATE: TemplateFields = {
  name: '',
  profile: 'tls-server',
  subjectDefaults: '',
  sans: '',
  crlDistributionPoint: '',
  keyAlgorithm: 'ec-p256',
  keyPolicy: 'regenerate',
  validityAmount: '90',
  validityUnit: 'days',
  subjectFrom: 'csr',
  sansFrom: 'csr',
};

export function fieldsOf(template: IssuanceTemplateDto): TemplateFields {
  // A template saved with both years and days (from the CLI) shows as days, rounded by the year.
  const years = template.validity.years ?? 0;
  const days = template.validity.days ?? 0;
  const [amount, unit]: [number, ValidityUnit] =
    days === 0 ? [years, 'years'] : [days + years * 365, 'days'];
  return {
    name: template.name,
    profile: template.profile,
    subjectDefaults: template.subjectDefaults ?? '',
    sans: template.sans.join('\n'),
    crlDistributionPoint: template.crlDistributionPoint ?? '',
    keyAlgorithm: template.keyAlgorithm,
    keyPolicy: template.keyPolicy,
    validityAmount: String(amount),
    validityUnit: unit,
    subjectFrom: template.csrPrecedence.subject,
    sansFrom: template.csrPrecedence.subjectAltName,
  };
}

/** What is wrong with the fields, in a sentence, or undefined when they can be saved. */
export function templateProblem(fields: TemplateFields): string | undefined {
  if (!fields.name.trim()) return 'Give the template a name.';
  const amount = Number(fields.validityAmount);
  if (!Number.isInteger(amount) || amount < 1) {
    return 'The validity is a whole number of days or years, at least 1.';
  }
  const url = fields.crlDistributionPoint.trim();
  if (url && !/^(https?|ldap):\/\/\S+$/i.test(url)) {
    return 'The CRL distribution point is a URL, e.g. http://crl.example.com/ca.crl.';
  }
  return undefined;
}

export function saveRequest(fields: TemplateFields): Request<'templates:save'> {
  const amount = Number(fields.validityAmount);
  return {
    name: fields.name.trim(),
    profile: fields.profile,
    ...(fields.subjectDefaults.trim() ? { subjectDefaults: fields.subjectDefaults.trim() } : {}),
    sans: parseSubjectAltNames(fields.sans),
    ...(fields.crlDistributionPoint.trim()
      ? { crlDistributionPoint: fields.crlDistributionPoint.trim() }
      : {}),
    keyAlgorithm: fields.keyAlgorithm,
    keyPolicy: fields.keyPolicy,
    validity: fields.validityUnit === 'years' ? { years: amount } : { days: amount },
    csrPrecedence: { subject: fields.subjectFrom, subjectAltName: fields.sansFrom },
  };
}

/** The officer's subject fields from a template's RFC 4514 defaults (CN, O, OU, L, C). */
export function subjectFieldsFrom(defaults: string | null): Partial<SubjectFields> {
  if (!defaults) return {};
  const keys: Record<string, keyof SubjectFields> = {
    CN: 'commonName',
    O: 'organization',
    OU: 'organizationalUnit',
    L: 'locality',
    C: 'country',
  };
  const fields: Partial<SubjectFields> = {};
  // Split on commas that are not escaped (RFC 4514 §2.4), then undo the escapes.
  for (const part of defaults.split(/(?<!\\),/)) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const key = keys[part.slice(0, at).trim().toUpperCase()];
    if (key) {
      fields[key] = part
        .slice(at + 1)
        .trim()
        .replace(/\\(.)/g, '$1');
    }
  }
  return fields;
}

/** The attributes of the defaults the end-entity form has no field for (ST, STREET, …). */
export function attributesWithoutField(defaults: string | null): string[] {
  if (!defaults) return [];
  return defaults
    .split(/(?<!\\),/)
    .map((part) => part.trim())
    .filter((part) => !/^(CN|O|OU|L|C)\s*=/i.test(part));
}

/** A template's validity in days for the end-entity form (a year counts as 365 days). */
export function validityDays(validity: IssuanceTemplateDto['validity']): number {
  return (validity.years ?? 0) * 365 + (validity.days ?? 0);
}
