import { readFileSync } from 'node:fs';

import { afterAll, describe, expect, it } from 'vitest';

import { encode } from './encode';
import {
  corpusCertificate,
  INTEROP,
  pemBody,
  run,
  runBytes,
  Workdir,
} from './encode-test-fixtures';

const work = new Workdir();
afterAll(() => work.remove());

const chain = ['leaf.pem', 'int.pem', 'root.pem'].map(corpusCertificate);
const crl = pemBody(readFileSync(`${INTEROP}/int.crl.pem`, 'utf8'));

describe('PKCS#7 certs-only export', () => {
  it('writes the same bytes as openssl crl2pkcs7 for a chain and a CRL', async () => {
    const ours = await encode('p7b-der', {
      certificates: chain.map((der) => ({ der })),
      crls: [crl],
    });
    const chainFile = work.file(
      'chain.pem',
      await encode('pem-chain', { certificates: chain.map((der) => ({ der })) }),
    );
    const reference = runBytes('openssl', [
      'crl2pkcs7',
      '-certfile',
      chainFile,
      '-in',
      `${INTEROP}/int.crl.pem`,
      '-outform',
      'DER',
    ]);
    expect(ours.equals(reference)).toBe(true);
  });

  it('writes a PEM .p7b whose certificates openssl pkcs7 lists leaf first', async () => {
    const path = work.file(
      'chain.p7b',
      await encode('p7b', { certificates: chain.map((der) => ({ der })) }),
    );
    const result = run('openssl', ['pkcs7', '-in', path, '-print_certs', '-noout']);
    expect(result.status).toBe(0);
    const subjects = result.stdout.split('\n').filter((line) => line.startsWith('subject='));
    expect(subjects).toEqual([
      'subject=C = CZ, O = Example Shop, CN = www.example.test',
      'subject=C = CZ, O = Example Trust, CN = Example Issuing CA 1',
      'subject=C = CZ, O = Example Trust, CN = Example Root CA R1',
    ]);
  });

  it('carries a CRL alone, and openssl reads back its 200 revoked entries', async () => {
    const path = work.file('crl-only.p7b', await encode('p7b-der', { crls: [crl] }));
    const result = run('openssl', ['pkcs7', '-inform', 'DER', '-in', path, '-print', '-noout']);
    expect(result.status).toBe(0);
    expect(result.stdout.match(/serialNumber:/g)).toHaveLength(200);
  });

  it('refuses a private key, which a PKCS#7 bundle cannot carry', async () => {
    const attempt = encode('p7b', {
      certificates: [{ der: chain[0]! }],
      privateKeys: [{ pkcs8: Buffer.from('30', 'hex') }],
    });
    await expect(attempt).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: /cannot carry private keys/,
    });
  });
});
