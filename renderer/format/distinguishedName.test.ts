import { describe, expect, it } from 'vitest';
import {
  distinguishedName,
  EMPTY_SUBJECT,
  escapeRdnValue,
  subjectProblem,
} from './distinguishedName';

describe('building a distinguished name from the subject fields', () => {
  it('writes the most specific RDN first and leaves empty fields out', () => {
    expect(
      distinguishedName({
        ...EMPTY_SUBJECT,
        commonName: 'MazeVault Root CA',
        organization: 'MazeVault',
        country: 'de',
      }),
    ).toBe('CN=MazeVault Root CA,O=MazeVault,C=DE');
    expect(
      distinguishedName({
        commonName: 'a',
        organizationalUnit: 'PKI',
        organization: 'b',
        locality: 'Berlin',
        country: 'DE',
      }),
    ).toBe('CN=a,OU=PKI,O=b,L=Berlin,C=DE');
  });

  it('escapes the characters RFC 4514 reserves, so a comma stays in its value', () => {
    expect(
      distinguishedName({ ...EMPTY_SUBJECT, commonName: 'Root', organization: 'Acme, Inc.' }),
    ).toBe('CN=Root,O=Acme\\, Inc.');
    expect(escapeRdnValue('a+b="c"<d>;e\\f')).toBe('a\\+b\\=\\"c\\"\\<d\\>\\;e\\\\f');
  });

  it('escapes a leading # or space and a trailing space', () => {
    expect(escapeRdnValue('#1')).toBe('\\#1');
    expect(escapeRdnValue(' lead')).toBe('\\ lead');
    expect(escapeRdnValue('trail ')).toBe('trail\\ ');
    expect(escapeRdnValue('in # the middle')).toBe('in # the middle');
  });

  it('trims the fields before escaping them', () => {
    expect(distinguishedName({ ...EMPTY_SUBJECT, commonName: '  host.example  ' })).toBe(
      'CN=host.example',
    );
  });
});

describe('what is wrong with the subject fields', () => {
  it('asks for a common name', () => {
    expect(subjectProblem(EMPTY_SUBJECT)).toBe('A common name (CN) is required.');
    expect(subjectProblem({ ...EMPTY_SUBJECT, commonName: '   ' })).toMatch(/common name/);
  });

  it('asks for a two-letter country code', () => {
    for (const country of ['DEU', 'D', 'D1']) {
      expect(subjectProblem({ ...EMPTY_SUBJECT, commonName: 'x', country })).toMatch(
        /two-letter ISO 3166/,
      );
    }
    expect(subjectProblem({ ...EMPTY_SUBJECT, commonName: 'x', country: 'us' })).toBeUndefined();
    expect(subjectProblem({ ...EMPTY_SUBJECT, commonName: 'x' })).toBeUndefined();
  });
});
