import { readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { encode, EXPORT_FORMATS, type ExportFormat } from './encode';
import { corpusCertificate, INTEROP, KEYS, pemBody, run, Workdir } from './encode-test-fixtures';

const work = new Workdir();
afterAll(() => work.remove());

const crl = pemBody(readFileSync(`${INTEROP}/int.crl.pem`, 'utf8'));
let csr: Buffer;

beforeAll(() => {
  const path = work.file('request.csr');
  const made = run('openssl', [
    'req',
    '-new',
    '-key',
    `${INTEROP}/ed25519.key`,
    '-subj',
    '/CN=csr.example.test',
    '-outform',
    'DER',
    '-out',
    path,
  ]);
  expect(made.status).toBe(0);
  csr = readFileSync(path);
});

describe('CSR and CRL export', () => {
  it('armours a CSR that openssl req verifies', async () => {
    const path = work.file('out.csr', await encode('csr', { csrs: [csr] }));
    const result = run('openssl', ['req', '-in', path, '-verify', '-noout', '-subject']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('subject=CN = csr.example.test');
  });

  it('writes a CRL as DER and as PEM that openssl crl reads with its 200 entries', async () => {
    for (const encoding of ['der', 'pem'] as const) {
      const path = work.file(
        `out.crl.${encoding}`,
        await encode('crl', { crls: [crl] }, { encoding }),
      );
      const result = run('openssl', [
        'crl',
        '-inform',
        encoding.toUpperCase(),
        '-in',
        path,
        '-noout',
        '-text',
      ]);
      expect(result.status).toBe(0);
      expect(result.stdout.match(/Serial Number:/g)).toHaveLength(200);
    }
  });

  it('refuses a truncated CRL instead of armouring it', async () => {
    await expect(encode('crl', { crls: [crl.subarray(0, crl.length - 1)] })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: /not a complete DER structure/,
    });
  });
});

describe('the export entry point', () => {
  const leaf = { der: corpusCertificate('leaf.pem') };
  const key = { pkcs8: KEYS.ec.key() };

  it('names every format it writes', () => {
    expect(EXPORT_FORMATS).toEqual([
      'pem',
      'der',
      'pem-chain',
      'p7b',
      'p7b-der',
      'p12',
      'p12-legacy',
      'pkcs8',
      'pkcs8-encrypted',
      'jks',
      'jceks',
      'csr',
      'crl',
    ]);
  });

  it('refuses a format it does not know, naming the ones it does', async () => {
    await expect(encode('pfx' as ExportFormat, { certificates: [leaf] })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: /choose one of pem, der/,
    });
  });

  it('refuses several certificates for a single-certificate format', async () => {
    await expect(encode('der', { certificates: [leaf, leaf] })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: /exactly one certificate, and 2 were given; choose pem-chain or p7b/,
    });
  });

  it('refuses a private key in a certificate format rather than dropping it', async () => {
    await expect(
      encode('pem-chain', { certificates: [leaf], privateKeys: [key] }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: /cannot carry private keys/,
    });
  });

  it('refuses bytes that are not a certificate', async () => {
    await expect(
      encode('pem', { certificates: [{ der: Buffer.from('not a certificate') }] }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: /certificate number 1 is not a DER X.509 certificate/,
    });
  });

  it('refuses bytes that are not a PKCS#8 key', async () => {
    await expect(encode('pkcs8', { privateKeys: [{ pkcs8: csr }] })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: /not an unencrypted PKCS#8 private key/,
    });
  });

  it('refuses options that do not apply to the format', async () => {
    const cases: [ExportFormat, object, RegExp][] = [
      ['pem', { iterations: 10_000 }, /no iteration count/],
      ['p12', { keyPasswords: { a: 'b' }, password: 'secret-pass' }, /only to JKS and JCEKS/],
      ['pkcs8', { friendlyName: 'x' }, /no friendly name/],
      ['p12', { encoding: 'der', password: 'secret-pass' }, /fixed encoding/],
      ['p12', { created: new Date(), password: 'secret-pass' }, /creation date/],
      ['p12', { iterations: 999, password: 'secret-pass' }, /from 1000 to 5000000/],
    ];
    for (const [format, options, message] of cases) {
      const input = format === 'pkcs8' ? { privateKeys: [key] } : { certificates: [leaf] };
      await expect(encode(format, input, options)).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message,
      });
    }
  });

  it('refuses a friendly name when several keys are exported', async () => {
    const input = {
      privateKeys: [
        { pkcs8: KEYS.ec.key(), chain: KEYS.ec.chain() },
        { pkcs8: KEYS.ed25519.key(), chain: KEYS.ed25519.chain() },
      ],
    };
    await expect(
      encode('jks', input, { password: 'secret-pass', friendlyName: 'one' }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: /exactly one key/,
    });
  });
});
