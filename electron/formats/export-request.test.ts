import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../services';
import { tempVault } from '../testing/temp';
import { certificateRequestDer, latestCrlDer } from './export-request';

let services: Services;
let dir: string;
let cleanup: () => void;
beforeEach(async () => {
  const made = await tempVault();
  services = createServices(made.vault);
  dir = made.dir;
  cleanup = made.cleanup;
});
afterEach(() => cleanup());

describe('a CSR exported from a certificate', () => {
  it('asks for every subjectAltName the certificate holds, directory and other names included', async () => {
    const key = join(dir, 'server.key');
    const cert = join(dir, 'server.pem');
    execFileSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '90',
      '-subj',
      '/CN=names.example',
      '-addext',
      'subjectAltName=DNS:names.example,IP:192.0.2.7,dirName:alt_dn,otherName:1.3.6.1.4.1.311.20.2.3;UTF8:officer@example.com',
      '-config',
      writeConfig(),
    ]);
    const bundle = Buffer.concat([readFileSync(cert), readFileSync(key)]);
    const result = await services.imports.import(
      [{ name: 'server.pem', bytes: bundle, secrets: {} }],
      {
        mode: 'internal',
      },
    );
    const certificate = result.entries.find((entry) => entry.kind === 'certificate');
    expect(certificate?.id).toBeTruthy();

    const csr = join(dir, 'renew.csr');
    writeFileSync(csr, await certificateRequestDer(services, certificate!.id!));
    const text = execFileSync(
      'openssl',
      ['req', '-inform', 'DER', '-in', csr, '-noout', '-verify', '-text'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    expect(text).toContain('DNS:names.example');
    expect(text).toContain('IP Address:192.0.2.7');
    expect(text).toMatch(/DirName:.*OU\s*=\s*Alternate Unit/);
    expect(text).toMatch(/othername: (UPN|1\.3\.6\.1\.4\.1\.311\.20\.2\.3)/i);
  });
});

function writeConfig(): string {
  const path = join(dir, 'openssl.cnf');
  writeFileSync(
    path,
    [
      '[req]',
      'distinguished_name = req_dn',
      '[req_dn]',
      '[alt_dn]',
      'O = Example',
      'OU = Alternate Unit',
      '',
    ].join('\n'),
  );
  return path;
}

describe('a CRL exported for a certificate (finding 13)', () => {
  it('says an end-entity certificate is not a CA, and a CA without a CRL has issued none yet', async () => {
    const root = await services.issuance.createRoot({
      subject: 'CN=Export CRL Root',
      key: { algorithm: 'ec-p256' },
      validity: { years: 10 },
    });
    const leaf = await services.issuance.issueEndEntity({
      issuerCertId: root.certificate.id,
      profile: 'tls-server',
      subject: 'CN=y',
      sans: ['DNS:y.example'],
      key: { algorithm: 'ec-p256' },
      validity: { days: 90 },
    });

    const fromLeaf = () => latestCrlDer(services, leaf.certificate.id);
    expect(fromLeaf).toThrow(/"CN=y" is not a CA certificate, so it issues no CRLs/);
    expect(fromLeaf).toThrow(`of its issuer "CN=Export CRL Root" (${root.certificate.id})`);
    expect(fromLeaf).not.toThrow(/issue one for this CA/);

    expect(() => latestCrlDer(services, root.certificate.id)).toThrow(/has issued no CRL/);
    await services.crls.issue(root.certificate.id);
    const crl = latestCrlDer(services, root.certificate.id);
    const text = execFileSync('openssl', ['crl', '-inform', 'DER', '-noout', '-issuer'], {
      input: crl,
      encoding: 'utf8',
    });
    expect(text).toContain('CN = Export CRL Root');
  });
});
