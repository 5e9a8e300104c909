import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MazeVaultError } from '../../shared/errors';
import { parseBatchCsv } from './batch';
import {
  AttributeTypeAndValue,
  AttributeValue,
  Name,
  RelativeDistinguishedName,
} from '@peculiar/asn1-x509';
import { assembleSigned } from './certificate-builder';
import { certificateFacts } from './certificate-facts';
import { buildCsrInfo } from './csr';
import { createLifecycleServices, type LifecycleServices } from './lifecycle-services';
import { subjectAltNamesOf } from './renewal-terms';
import { signatureAlgorithmDer } from './signature-algorithms';
import type { TemplateBody } from './templates';
import { createTestVault, openssl, type TestVault } from './test-support';

let t: TestVault;
let life: LifecycleServices;
let issuerId: string;

const DEVICE: TemplateBody = {
  profile: 'tls-client',
  subjectDefaults: 'OU=Devices,O=Acme,C=DE',
  keyPolicy: 'regenerate',
  keyAlgorithm: 'ec-p256',
  validity: { days: 180 },
  csrPrecedence: { subject: 'csr', subjectAltName: 'csr' },
};

beforeEach(async () => {
  t = await createTestVault();
  const { vault, keys, certificates, issuance } = t.services;
  life = createLifecycleServices(vault, keys, certificates, issuance);
  const root = await issuance.createRoot({
    subject: 'CN=Template Root',
    key: { algorithm: 'ec-p256' },
    validity: { years: 20 },
  });
  issuerId = root.certificate.id;
});
afterEach(() => t.cleanup());

function opensslCsr(subject: string, san: string): Buffer {
  const key = join(t.dir, 'csr.key');
  const csr = join(t.dir, 'req.csr');
  const made = openssl([
    'req',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    key,
    '-subj',
    subject,
    '-addext',
    `subjectAltName=${san}`,
    '-out',
    csr,
  ]);
  expect(made.status).toBe(0);
  return readFileSync(csr);
}

function sansOf(certId: string): string[] {
  const facts = certificateFacts(t.services.certificates.der(certId));
  return subjectAltNamesOf(facts.certificate, '');
}

describe('TemplateService', () => {
  it('keeps templates in the vault and refuses a validity outside the profile policy', () => {
    const saved = life.templates.save('devices', DEVICE);
    expect(life.templates.get('devices')).toEqual(saved);
    expect(life.templates.list().map((x) => x.name)).toEqual(['devices']);
    const error = (() => {
      try {
        life.templates.save('too-long', { ...DEVICE, validity: { days: 800 } });
      } catch (e) {
        return e as MazeVaultError;
      }
      return undefined;
    })();
    expect(error?.code).toBe('POLICY_VIOLATION');
  });

  it('signs a CSR with the CSR winning the subject, the template filling the rest, and edited SANs', async () => {
    life.templates.save('devices', DEVICE);
    const csr = opensslCsr('/O=Other Org/CN=sensor-7', 'DNS:sensor-7.example.com');
    const plan = life.templates.planCsr('devices', csr);
    expect(plan.subject).toBe('CN=sensor-7,OU=Devices,O=Other Org,C=DE');
    expect(plan.sans).toEqual(['DNS:sensor-7.example.com']);

    const edited = await life.templates.signCsr('devices', {
      issuerCertId: issuerId,
      csr,
      sans: ['DNS:sensor-7.example.com', 'DNS:sensor-7.local'],
    });
    expect(edited.certificate.subject).toBe('CN=sensor-7,OU=Devices,O=Other Org,C=DE');
    expect(sansOf(edited.certificate.id)).toEqual([
      'DNS:sensor-7.example.com',
      'DNS:sensor-7.local',
    ]);
    expect(edited.key).toBeNull();
  });

  it('lets the template win the subject per signing when the officer chooses it', async () => {
    life.templates.save('devices', { ...DEVICE, sans: ['DNS:fleet.example.com'] });
    const csr = opensslCsr('/O=Other Org/CN=sensor-8', 'DNS:sensor-8.example.com');
    const result = await life.templates.signCsr('devices', {
      issuerCertId: issuerId,
      csr,
      precedence: { subject: 'template', subjectAltName: 'template' },
    });
    expect(result.certificate.subject).toBe('CN=sensor-8,OU=Devices,O=Acme,C=DE');
    expect(sansOf(result.certificate.id)).toEqual(['DNS:fleet.example.com']);
  });

  it("never certifies the CSR's SANs when the template wins them but has none (newcomer finding)", () => {
    life.templates.save('bare', DEVICE);
    const csr = opensslCsr('/CN=gw-1', 'DNS:gw-1.example.com,DNS:*.google.com');
    const plan = life.templates.planCsr('bare', csr, { subjectAltName: 'template' });
    expect(plan.sans).toEqual([]);
    expect(plan.csrSans).toEqual(['DNS:gw-1.example.com', 'DNS:*.google.com']);
  });
});

describe('the subject of a CSR signed with a template', () => {
  function subjectLine(certId: string): string {
    const path = join(t.dir, `${certId}.der`);
    writeFileSync(path, t.services.certificates.der(certId));
    return openssl(['x509', '-inform', 'DER', '-in', path, '-noout', '-subject']).stdout.trim();
  }

  it('keeps the RDN order of a CSR written CN first, and puts the template defaults after it', async () => {
    life.templates.save('devices', DEVICE);
    const csr = opensslCsr('/CN=sensor-9/O=Other Org', 'DNS:sensor-9.example.com');
    const csrPath = join(t.dir, 'cn-first.csr');
    writeFileSync(csrPath, csr);
    // openssl prints RDNs in DER order: the CSR has CN before O.
    expect(openssl(['req', '-in', csrPath, '-noout', '-subject']).stdout.trim()).toBe(
      'subject=CN = sensor-9, O = Other Org',
    );
    const signed = await life.templates.signCsr('devices', { issuerCertId: issuerId, csr });
    expect(subjectLine(signed.certificate.id)).toBe(
      'subject=CN = sensor-9, OU = Devices, O = Other Org, C = DE',
    );
  });

  it('keeps the usual order, C first, for a CSR written that way', async () => {
    life.templates.save('devices', DEVICE);
    const csr = opensslCsr('/C=CZ/O=Other Org/CN=sensor-10', 'DNS:sensor-10.example.com');
    const signed = await life.templates.signCsr('devices', { issuerCertId: issuerId, csr });
    expect(subjectLine(signed.certificate.id)).toBe(
      'subject=C = CZ, O = Other Org, OU = Devices, CN = sensor-10',
    );
  });

  it('refuses a CSR whose CN is longer than ub-common-name (64)', async () => {
    life.templates.save('devices', DEVICE);
    // openssl req itself refuses such a CN, so the CSR is built here and checked by openssl.
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const subject = new Name([
      new RelativeDistinguishedName([
        new AttributeTypeAndValue({
          type: '2.5.4.3',
          value: new AttributeValue({ utf8String: 'a'.repeat(65) }),
        }),
      ]),
    ]);
    const info = buildCsrInfo(
      subject,
      publicKey.export({ format: 'der', type: 'spki' }),
      undefined,
    );
    const csr = assembleSigned(
      info,
      signatureAlgorithmDer('ecdsa-sha256'),
      sign('sha256', info, privateKey),
    );
    const csrPath = join(t.dir, 'long-cn.csr');
    writeFileSync(csrPath, csr);
    expect(openssl(['req', '-inform', 'DER', '-in', csrPath, '-noout', '-verify']).stderr).toMatch(
      /verify OK/i,
    );
    const error = await life.templates
      .signCsr('devices', { issuerCertId: issuerId, csr })
      .catch((e: unknown) => e as MazeVaultError);
    expect((error as MazeVaultError).code).toBe('INVALID_INPUT');
    expect((error as MazeVaultError).message).toMatch(
      /is 65 characters long; RFC 5280 \(Appendix A, ub-common-name\) allows at most 64/,
    );
  });
});

describe('BatchService', () => {
  it('issues a CSV of subjects with progress, reporting a bad line without stopping', async () => {
    life.templates.save('devices', DEVICE);
    const csv =
      'cn,sans,days\r\ndev-1,DNS:dev-1.example.com,90\r\n"dev-2, annex",,\r\ndev-3,DNS:bad_name!,\r\ndev-4,"DNS:dev-4.example.com;IP:192.0.2.4",\r\n';
    const rows = parseBatchCsv(csv);
    expect(rows.map((r) => r.subject)).toEqual(['dev-1', 'dev-2, annex', 'dev-3', 'dev-4']);
    expect(rows[3]!.sans).toEqual(['DNS:dev-4.example.com', 'IP:192.0.2.4']);

    const progress: number[] = [];
    const result = await life.batch.issue({
      issuerCertId: issuerId,
      template: 'devices',
      csv,
      onProgress: (done) => progress.push(done),
    });
    expect(progress).toEqual([1, 2, 3, 4]);
    expect(result.issued.map((r) => r.line)).toEqual([2, 3, 5]);
    expect(result.failed).toEqual([expect.objectContaining({ line: 4, code: 'INVALID_INPUT' })]);
    expect(result.issued[1]!.subject).toBe('CN=dev-2\\, annex,OU=Devices,O=Acme,C=DE');
    expect(sansOf(result.issued[2]!.certId)).toEqual(['DNS:dev-4.example.com', 'IP:192.0.2.4']);
    const first = certificateFacts(t.services.certificates.der(result.issued[0]!.certId));
    expect((first.notAfter.getTime() + 1000 - first.notBefore.getTime()) / 86_400_000).toBe(90);
  });

  it('fails a line with a bad days value alone and issues the others', async () => {
    life.templates.save('devices', DEVICE);
    const result = await life.batch.issue({
      issuerCertId: issuerId,
      template: 'devices',
      csv: 'cn,days\ndev-a,90\ndev-b,abc\ndev-c,\n',
    });
    expect(result.issued.map((r) => r.line)).toEqual([2, 4]);
    expect(result.failed).toEqual([
      expect.objectContaining({
        line: 3,
        code: 'INVALID_INPUT',
        message: 'Line 3: days must be a whole number, not "abc".',
      }),
    ]);
  });

  it('stops at the next line when cancelled', async () => {
    life.templates.save('devices', DEVICE);
    const controller = new AbortController();
    const result = await life.batch.issue({
      issuerCertId: issuerId,
      template: 'devices',
      rows: [1, 2, 3].map((n) => ({ line: n + 1, subject: `dev-${n}`, sans: [] })),
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    expect(result.cancelled).toBe(true);
    expect(result.issued).toHaveLength(1);
  });
});
