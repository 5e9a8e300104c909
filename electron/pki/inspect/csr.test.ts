import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectCsr } from './csr';

function csrDer(keyArgs: string[], subject: string): Buffer {
  return execFileSync(
    'openssl',
    [
      'req',
      '-new',
      '-newkey',
      ...keyArgs,
      '-nodes',
      '-keyout',
      '/dev/null',
      '-subj',
      subject,
      '-outform',
      'DER',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

describe('inspecting a CSR (finding 16)', () => {
  it.each([
    ['EC P-256', ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256']],
    ['RSA', ['rsa:2048']],
    ['Ed25519', ['ed25519']],
  ])('accepts the proof of possession of an openssl %s request', (_name, keyArgs) => {
    const csr = inspectCsr(csrDer(keyArgs, '/CN=good.example'));
    expect(csr.signatureValid).toBe(true);
    expect(csr.problems).toEqual([]);
  });

  it('flags a request whose signature does not verify, after one byte of its subject changed', () => {
    const der = csrDer(['ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], '/CN=good.example');
    const at = der.indexOf(Buffer.from('good.example'));
    der[at] = 'e'.charCodeAt(0);

    const csr = inspectCsr(der);
    expect(csr.subject).toMatchObject({ rfc4514: 'CN=eood.example' });
    expect(csr.signatureValid).toBe(false);
    expect(csr.problems).toEqual([
      expect.stringMatching(/^THE SIGNATURE DOES NOT VERIFY .*do not sign it/),
    ]);
  });

  it('says a DSA request could not be checked, never that it was altered (newcomer finding)', () => {
    const params = join(mkdtempSync(join(tmpdir(), 'mazevault-dsa-')), 'dsa.pem');
    execFileSync('openssl', [
      'genpkey',
      '-genparam',
      '-algorithm',
      'DSA',
      '-pkeyopt',
      'dsa_paramgen_bits:2048',
      '-out',
      params,
    ]);
    const csr = inspectCsr(csrDer([`dsa:${params}`], '/CN=dsa.example'));
    expect(csr.signatureValid).toBe(false);
    expect(csr.signatureUnchecked).toMatch(/DSA|dsa|not (supported|accepted)/);
    expect(csr.problems.join(' ')).toMatch(/could not be checked/);
    expect(csr.problems.join(' ')).not.toMatch(/DOES NOT VERIFY|altered/);
  });
});
