import { afterAll, describe, expect, it } from 'vitest';

import { encode } from './encode';
import { toPem } from './encode-pem';
import {
  corpusCertificate,
  INTEROP,
  pemBody,
  run,
  sha256Fingerprint,
  Workdir,
} from './encode-test-fixtures';

const work = new Workdir();
afterAll(() => work.remove());

const leaf = corpusCertificate('leaf.pem');
const chain = ['leaf.pem', 'int.pem', 'root.pem'].map(corpusCertificate);

describe('certificate PEM and DER export', () => {
  it('writes a certificate PEM exactly as openssl x509 writes it', async () => {
    const ours = (await encode('pem', { certificates: [{ der: leaf }] })).toString('utf8');
    const openssl = run('openssl', ['x509', '-inform', 'DER', '-in', `${INTEROP}/leaf.der`]);
    expect(openssl.status).toBe(0);
    expect(ours).toBe(openssl.stdout);
  });

  it('writes DER that openssl x509 reads with the same fingerprint', async () => {
    const path = work.file('leaf.der', await encode('der', { certificates: [{ der: leaf }] }));
    const result = run('openssl', [
      'x509',
      '-inform',
      'DER',
      '-in',
      path,
      '-noout',
      '-fingerprint',
      '-sha256',
    ]);
    expect(result.stdout.trim()).toBe(`sha256 Fingerprint=${sha256Fingerprint(leaf)}`);
  });

  it('writes a chain as PEM blocks in the order given, which openssl verify accepts', async () => {
    const bundle = await encode('pem-chain', { certificates: chain.map((der) => ({ der })) });
    const blocks = bundle
      .toString('utf8')
      .match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g);
    expect(blocks?.map((block) => sha256Fingerprint(pemBody(block)))).toEqual(
      chain.map(sha256Fingerprint),
    );

    const untrusted = work.file(
      'untrusted.pem',
      await encode('pem-chain', { certificates: [{ der: chain[1]! }] }),
    );
    const roots = work.file(
      'root.pem',
      await encode('pem', { certificates: [{ der: chain[2]! }] }),
    );
    const leafFile = work.file('leaf.pem', await encode('pem', { certificates: [{ der: leaf }] }));
    const verify = run('openssl', [
      'verify',
      '-attime',
      '1796428800',
      '-CAfile',
      roots,
      '-untrusted',
      untrusted,
      leafFile,
    ]);
    expect(verify.stdout.trim()).toBe(`${leafFile}: OK`);
  });

  it('wraps base64 at 64 columns and ends with a newline (RFC 7468)', () => {
    const content = Buffer.alloc(100, 7);
    const pem = toPem('CERTIFICATE', content);
    const lines = pem.split('\n');
    expect(lines.slice(1, -2).map((line) => line.length)).toEqual([64, 64, 8]);
    expect(pem.endsWith('-----END CERTIFICATE-----\n')).toBe(true);
    expect(pemBody(pem)).toEqual(content);
  });
});
