import { afterAll, describe, expect, it } from 'vitest';

import { encode } from './encode';
import { KEYS, pemBody, run, Workdir } from './encode-test-fixtures';

const work = new Workdir();
afterAll(() => work.remove());

const PASSWORD = 'Kořen-2026!';

describe.each(Object.entries(KEYS))('PKCS#8 export of an %s key', (name, fixture) => {
  const key = fixture.key();

  it('writes an encrypted key that openssl pkey opens with the password, unchanged', async () => {
    const pem = await encode(
      'pkcs8-encrypted',
      { privateKeys: [{ pkcs8: key }] },
      {
        password: PASSWORD,
        iterations: 10_000,
      },
    );
    expect(pem.toString('utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    const path = work.file(`${name}-encrypted.pem`, pem);
    // openssl pkey writes PKCS#8 in PEM (its DER output is the traditional form for RSA and EC).
    const opened = run('openssl', ['pkey', '-in', path, '-passin', `pass:${PASSWORD}`]);
    expect(pemBody(opened.stdout).equals(key)).toBe(true);
  });

  it('writes an encrypted key that openssl refuses with a wrong password', async () => {
    const der = await encode(
      'pkcs8-encrypted',
      { privateKeys: [{ pkcs8: key }] },
      {
        password: PASSWORD,
        iterations: 10_000,
        encoding: 'der',
      },
    );
    const path = work.file(`${name}-encrypted.der`, der);
    const right = run('openssl', [
      'pkey',
      '-inform',
      'DER',
      '-in',
      path,
      '-passin',
      `pass:${PASSWORD}`,
      '-noout',
    ]);
    const wrong = run('openssl', [
      'pkey',
      '-inform',
      'DER',
      '-in',
      path,
      '-passin',
      'pass:wrong',
      '-noout',
    ]);
    expect(right.status).toBe(0);
    expect(wrong.status).not.toBe(0);
  });

  it('writes a plain key that openssl pkey reads as the same key', async () => {
    const path = work.file(
      `${name}-plain.pem`,
      await encode('pkcs8', { privateKeys: [{ pkcs8: key }] }),
    );
    expect(pemBody(run('openssl', ['pkey', '-in', path]).stdout).equals(key)).toBe(true);
  });
});

describe('PKCS#8 encryption parameters', () => {
  it('uses PBES2, PBKDF2-HMAC-SHA256 at 600000 iterations and AES-256-CBC by default', async () => {
    const pem = await encode(
      'pkcs8-encrypted',
      { privateKeys: [{ pkcs8: KEYS.ec.key() }] },
      { password: PASSWORD },
    );
    const parsed = run('openssl', ['asn1parse', '-in', work.file('default.pem', pem)]).stdout;
    expect(parsed).toMatch(/OBJECT\s+:PBES2/);
    expect(parsed).toMatch(/OBJECT\s+:PBKDF2/);
    expect(parsed).toMatch(/INTEGER\s+:0927C0\n/);
    expect(parsed).toMatch(/OBJECT\s+:hmacWithSHA256/);
    expect(parsed).toMatch(/OBJECT\s+:aes-256-cbc/);
  });

  it('draws a fresh salt and IV for every export', async () => {
    const input = { privateKeys: [{ pkcs8: KEYS.ed25519.key() }] };
    const options = { password: PASSWORD, iterations: 1_000 };
    const first = await encode('pkcs8-encrypted', input, options);
    const second = await encode('pkcs8-encrypted', input, options);
    expect(first.equals(second)).toBe(false);
  });

  it('refuses an empty password and a password given for the plain format', async () => {
    const input = { privateKeys: [{ pkcs8: KEYS.ec.key() }] };
    await expect(encode('pkcs8-encrypted', input, { password: '' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(encode('pkcs8', input, { password: PASSWORD })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: /not encrypted/,
    });
  });
});
