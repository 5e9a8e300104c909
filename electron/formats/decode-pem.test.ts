import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { decode } from './decode';
import { parsePem } from './decode-pem';

function certificatePem(): string {
  return execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      '/dev/null',
      '-subj',
      '/CN=pem.example',
      '-days',
      '1',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

describe('PEM END lines (finding 16)', () => {
  it('says the END label does not match the BEGIN label, and where, instead of "cut short"', async () => {
    const pem = certificatePem().replace('-----END CERTIFICATE-----', '-----END PRIVATE KEY-----');
    const at = pem.indexOf('-----END PRIVATE KEY-----');
    const read = () => parsePem(Buffer.from(pem, 'latin1'));
    expect(read).toThrow(
      `with "BEGIN CERTIFICATE" ends at byte ${at} with "END PRIVATE KEY": the END label does not match the BEGIN label`,
    );
    expect(read).not.toThrow(/cut short/);
    await expect(decode(Buffer.from(pem))).rejects.toMatchObject({ code: 'MALFORMED' });
  });

  it('does not reach past a mismatched END line to the END of a later block', () => {
    const good = certificatePem();
    const bad = good.replace('-----END CERTIFICATE-----', '-----END X509 CRL-----');
    expect(() => parsePem(Buffer.from(bad + good, 'latin1'))).toThrow(/"END X509 CRL"/);
  });

  it('still calls a block without any END line cut short', () => {
    const pem = certificatePem();
    const cut = pem.slice(0, pem.indexOf('-----END'));
    expect(() => parsePem(Buffer.from(cut, 'latin1'))).toThrow(/has no END line.*cut short/);
  });
});
