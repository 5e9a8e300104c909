import { execFileSync } from 'node:child_process';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Name } from '@peculiar/asn1-x509';
import { describe, expect, it } from 'vitest';
import { MazeVaultError } from '../../shared/errors';
import { formatDistinguishedName, parseDistinguishedName } from './names';

/** OpenSSL's own reading of the DER name, RFC 2253 style with UTF-8 left as is. */
function opensslReads(name: Name): string {
  const der = Buffer.from(AsnConvert.serialize(name));
  const asn1 = execFileSync('openssl', ['asn1parse', '-inform', 'DER'], {
    input: der,
    encoding: 'utf8',
  });
  return asn1
    .split('\n')
    .filter((line) => /(OBJECT|STRING)\s*:/.test(line))
    .map((line) => line.slice(line.lastIndexOf(':') + 1))
    .join('|');
}

function refusal(dn: string): MazeVaultError {
  try {
    parseDistinguishedName(dn);
  } catch (error) {
    expect(error).toBeInstanceOf(MazeVaultError);
    return error as MazeVaultError;
  }
  throw new Error(`"${dn}" was accepted`);
}

describe('distinguished names', () => {
  it('encodes the most specific RDN last, as RFC 4514 strings are written in reverse', () => {
    const name = parseDistinguishedName('CN=Acme Root CA,O=Acme,C=DE');
    expect(opensslReads(name)).toBe('countryName|DE|organizationName|Acme|commonName|Acme Root CA');
  });

  it('keeps an escaped comma inside its value', () => {
    const name = parseDistinguishedName('CN=Root,O=Acme\\, Inc.');
    expect(opensslReads(name)).toBe('organizationName|Acme, Inc.|commonName|Root');
    expect(formatDistinguishedName(name)).toBe('CN=Root,O=Acme\\, Inc.');
  });

  it('stores non-ASCII text as UTF8String, and hex escapes as UTF-8 octets', () => {
    const name = parseDistinguishedName('CN=Jürgen Çelik,O=M\\C3\\BCnchen AG');
    const der = Buffer.from(AsnConvert.serialize(name));
    const asn1 = execFileSync('openssl', ['asn1parse', '-inform', 'DER'], {
      input: der,
      encoding: 'utf8',
    });
    expect(asn1.match(/UTF8STRING/g)).toHaveLength(2);
    expect(formatDistinguishedName(name)).toBe('CN=Jürgen Çelik,O=München AG');
  });

  it('writes the country as PrintableString (RFC 5280 Appendix A)', () => {
    const der = Buffer.from(AsnConvert.serialize(parseDistinguishedName('C=DE')));
    const asn1 = execFileSync('openssl', ['asn1parse', '-inform', 'DER'], {
      input: der,
      encoding: 'utf8',
    });
    expect(asn1).toMatch(/PRINTABLESTRING\s*:DE/);
  });

  it('puts "+"-joined attributes in one multi-valued RDN', () => {
    const name = parseDistinguishedName('CN=Alice+UID=alice,O=Acme');
    expect(name).toHaveLength(2);
    expect(name[1]).toHaveLength(2);
    expect(formatDistinguishedName(name)).toBe('CN=Alice+UID=alice,O=Acme');
  });

  it('accepts dotted OIDs and trims spaces around separators', () => {
    const name = parseDistinguishedName(' CN = Root , 2.5.4.10=Acme ');
    expect(formatDistinguishedName(name)).toBe('CN=Root,O=Acme');
  });

  it('round-trips values that need escaping at their edges', () => {
    const text = 'CN=\\#hash\\, \\"quoted\\" \\+ plus\\ ';
    const name = parseDistinguishedName(text);
    expect(name[0]![0]!.value.toString()).toBe('#hash, "quoted" + plus ');
    expect(formatDistinguishedName(parseDistinguishedName(formatDistinguishedName(name)))).toBe(
      formatDistinguishedName(name),
    );
  });

  it('refuses names it cannot read, saying how to write them', () => {
    expect(refusal('').message).toContain('it is empty');
    expect(refusal('Acme Root').message).toContain('has no "="');
    expect(refusal('XYZ=1').message).toContain('"XYZ" is not an attribute type');
    expect(refusal('C=Germany').message).toContain('two-letter');
    expect(refusal('CN=').message).toContain('empty value');
    expect(refusal('CN=a\\').message).toContain('lone backslash');
    expect(refusal('CN=').code).toBe('INVALID_INPUT');
  });

  it('reads an RFC 4514 #hex value as the DER of the value, for an OID and a known type', () => {
    const name = parseDistinguishedName('1.2.3.4=#0c03414243,CN=#0c0378797a,C=#13024445');
    const der = Buffer.from(AsnConvert.serialize(name));
    const asn1 = execFileSync('openssl', ['asn1parse', '-inform', 'DER'], {
      input: der,
      encoding: 'utf8',
    });
    expect(asn1).toMatch(/OBJECT\s*:1\.2\.3\.4\s*\n.*UTF8STRING\s*:ABC/);
    expect(asn1).toMatch(/PRINTABLESTRING\s*:DE/);
    expect(opensslReads(name)).toBe('countryName|DE|commonName|xyz|1.2.3.4|ABC');
    // A value that is not a string keeps its DER; it prints back in the #hex form.
    const integer = parseDistinguishedName('1.2.3.4=#020105');
    expect(formatDistinguishedName(integer)).toBe('1.2.3.4=#020105');
    expect(Buffer.from(AsnConvert.serialize(integer)).toString('hex')).toMatch(/020105$/);
  });

  it('refuses a #hex value that is not one whole DER value, or not a string for a string type', () => {
    expect(refusal('1.2.3.4=#0c0341').message).toContain('#0c0341 is not');
    expect(refusal('1.2.3.4=#0c014100').message).toContain('not exactly one DER value');
    expect(refusal('CN=#abc').message).toContain('not an even number of hex digits');
    expect(refusal('CN=#020105').message).toContain('CN takes a DirectoryString');
    expect(refusal('C=#0c024445').message).toContain('must be a PrintableString');
  });

  it('refuses a CN longer than ub-common-name (64 characters), and counts characters, not bytes', () => {
    expect(parseDistinguishedName(`CN=${'ü'.repeat(64)}`)).toHaveLength(1);
    const error = refusal(`CN=${'a'.repeat(65)}`);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(
      /The CN in .* is 65 characters long; RFC 5280 \(Appendix A, ub-common-name\) allows at most 64\. .*subjectAltName/,
    );
    expect(refusal(`O=${'o'.repeat(65)}`).message).toContain('ub-organization-name');
    expect(refusal(`CN=x,1.2.3.4=y,CN=#0c41${'61'.repeat(65)}`).message).toContain(
      'ub-common-name',
    );
  });
});

describe('control characters in names (null-prefix certificates, forged output lines)', () => {
  it('refuses a NUL, a newline or an escape in any attribute, and shows it escaped', () => {
    const nul = refusal('CN=www.bank.example\u0000.evil.example');
    expect(nul.message).toMatch(/holds a control character/);
    expect(nul.message).toContain('www.bank.example\\00.evil.example');
    expect(nul.message).not.toContain('\u0000');
    expect(refusal('CN=a.example\nValid.').message).toContain('a.example\\0AValid.');
    expect(refusal('O=x\u001b[2K').message).toContain('\\1B');
    expect(refusal('CN=a\u0085b').message).toMatch(/control character/);
  });

  it('still accepts ordinary non-ASCII text', () => {
    expect(formatDistinguishedName(parseDistinguishedName('CN=Zürich Root,O=Ōsaka'))).toBe(
      'CN=Zürich Root,O=Ōsaka',
    );
  });
});
