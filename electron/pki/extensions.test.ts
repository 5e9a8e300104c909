import { describe, expect, it } from 'vitest';
import { MazeVaultError } from '../../shared/errors';
import { parseSubjectAltName } from './extensions';

function refusal(text: string): string {
  try {
    parseSubjectAltName(text);
  } catch (error) {
    expect(error).toBeInstanceOf(MazeVaultError);
    return (error as MazeVaultError).message;
  }
  throw new Error(`${text} was accepted`);
}

describe('subjectAltName text as officers type it', () => {
  it('says a name with a type but no value lacks its value, not its type', () => {
    expect(refusal('DNS:')).toMatch(/has a type but no value: write DNS:value/);
    expect(refusal('www.example.com')).toMatch(/needs a type/);
  });

  it('gives the punycode form of an internationalised domain name', () => {
    expect(refusal('DNS:bücher.example')).toMatch(/write DNS:xn--bcher-kva\.example/);
    expect(parseSubjectAltName('DNS:xn--bcher-kva.example').dNSName).toBe('xn--bcher-kva.example');
  });

  it('still refuses a name that is not a DNS name at all', () => {
    expect(refusal('DNS:-bad-.example')).toMatch(/is not a DNS name/);
  });
});

describe('CRL distribution points', () => {
  it('accepts http, https and ldap URIs only, wherever they are entered', async () => {
    const { checkCrlDistributionPoint } = await import('./extensions');
    for (const good of [
      'http://pki.example.com/root.crl',
      'https://pki.example.com/root.crl',
      'ldap://ldap.example.com/cn=Root,o=Example?certificateRevocationList',
    ]) {
      expect(checkCrlDistributionPoint(good).uniformResourceIdentifier).toBe(good);
    }
    for (const bad of ['javascript:alert(1)', 'pki.example.com/root.crl', 'file:///etc/passwd']) {
      expect(() => checkCrlDistributionPoint(bad)).toThrow(/http:\/\/, https:\/\/ or ldap:\/\//);
    }
  });
});
