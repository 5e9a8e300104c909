import { describe, expect, it } from 'vitest';
import { parseSubjectAltNames } from './subjectAltNames';

describe('subject alternative names typed one per line', () => {
  it('reads bare values by their shape', () => {
    expect(
      parseSubjectAltNames(
        'app.example.test\n192.0.2.10\n2001:db8::1\nops@example.test\nhttps://example.test/x',
      ),
    ).toEqual([
      'DNS:app.example.test',
      'IP:192.0.2.10',
      'IP:2001:db8::1',
      'email:ops@example.test',
      'URI:https://example.test/x',
    ]);
  });

  it('keeps a value that already has its TYPE: prefix', () => {
    expect(parseSubjectAltNames('DNS:a.test, IP:10.0.0.1, email:x@y.test, URI:ldap://h/')).toEqual([
      'DNS:a.test',
      'IP:10.0.0.1',
      'email:x@y.test',
      'URI:ldap://h/',
    ]);
  });

  it('drops blank lines and surrounding spaces', () => {
    expect(parseSubjectAltNames('\n  a.test  \n\n , \n')).toEqual(['DNS:a.test']);
    expect(parseSubjectAltNames('')).toEqual([]);
  });
});
