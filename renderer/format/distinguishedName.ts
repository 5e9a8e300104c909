// Builds the officer's "CN=…,O=…,C=…" string (RFC 4514) from separate fields, escaping the
// characters RFC 4514 §2.4 reserves so a comma in an organisation name stays in the value.

export interface SubjectFields {
  commonName: string;
  organization: string;
  organizationalUnit: string;
  locality: string;
  country: string;
}

export const EMPTY_SUBJECT: SubjectFields = {
  commonName: '',
  organization: '',
  organizationalUnit: '',
  locality: '',
  country: '',
};

export function escapeRdnValue(value: string): string {
  const escaped = value.replace(/[\\,+"<>;=]/g, (character) => `\\${character}`);
  // A leading '#' or space and a trailing space are significant and must be escaped too.
  return escaped.replace(/^([ #])/, '\\$1').replace(/ $/, '\\ ');
}

/** Most specific RDN first, as RFC 4514 §2.1 writes it. */
export function distinguishedName(fields: SubjectFields): string {
  const parts: [string, string][] = [
    ['CN', fields.commonName],
    ['OU', fields.organizationalUnit],
    ['O', fields.organization],
    ['L', fields.locality],
    ['C', fields.country.toUpperCase()],
  ];
  return parts
    .filter(([, value]) => value.trim())
    .map(([type, value]) => `${type}=${escapeRdnValue(value.trim())}`)
    .join(',');
}

export function subjectProblem(fields: SubjectFields): string | undefined {
  if (!fields.commonName.trim()) return 'A common name (CN) is required.';
  if (fields.country.trim() && !/^[A-Za-z]{2}$/.test(fields.country.trim())) {
    return 'The country is a two-letter ISO 3166 code, e.g. DE or US.';
  }
  return undefined;
}
