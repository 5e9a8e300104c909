import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KeyAlgorithm } from '../../shared/algorithms';
import { MazeVaultError } from '../../shared/errors';
import { certificateTime, newSerialNumber } from './certificate-builder';
import {
  certificateText,
  createTestVault,
  openssl,
  writePem,
  type TestVault,
} from './test-support';

let t: TestVault;
beforeEach(async () => {
  t = await createTestVault();
});
afterEach(() => t.cleanup());

async function rejection(promise: Promise<unknown>): Promise<MazeVaultError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MazeVaultError);
  return error as MazeVaultError;
}

async function makeHierarchy(
  rootAlgorithm: KeyAlgorithm,
  subAlgorithm: KeyAlgorithm,
  leafAlgorithm: KeyAlgorithm,
) {
  const { issuance } = t.services;
  const root = await issuance.createRoot({
    subject: 'CN=Test Root CA,O=Acme\\, Inc.,C=DE',
    key: { algorithm: rootAlgorithm },
    validity: { years: 20 },
    pathLen: 1,
  });
  const sub = await issuance.issueSubordinate({
    issuerCertId: root.certificate.id,
    subject: 'CN=Test Issuing CA,O=Acme\\, Inc.,C=DE',
    key: { algorithm: subAlgorithm },
    validity: { years: 10 },
    crlDistributionPoint: 'http://crl.example.com/root.crl',
  });
  const leaf = await issuance.issueEndEntity({
    issuerCertId: sub.certificate.id,
    profile: 'tls-server',
    subject: 'CN=www.example.com',
    sans: ['DNS:www.example.com', 'DNS:example.com', 'IP:192.0.2.7'],
    key: { algorithm: leafAlgorithm },
    validity: { days: 90 },
  });
  return { root, sub, leaf };
}

describe('IssuanceService', () => {
  it.each([
    ['ec-p384', 'ec-p256', 'ec-p256'],
    ['rsa-3072', 'rsa-2048', 'rsa-2048'],
    ['ed25519', 'ec-p521', 'ed25519'],
  ] as const)(
    'makes a %s root, %s subordinate and %s leaf that openssl verify accepts',
    async (r, s, l) => {
      const { root, sub, leaf } = await makeHierarchy(r, s, l);
      const { certificates } = t.services;
      const rootPem = writePem(t.dir, 'root', certificates.der(root.certificate.id));
      const subPem = writePem(t.dir, 'sub', certificates.der(sub.certificate.id));
      const leafPem = writePem(t.dir, 'leaf', certificates.der(leaf.certificate.id));

      const result = openssl([
        'verify',
        '-x509_strict',
        '-CAfile',
        rootPem,
        '-untrusted',
        subPem,
        leafPem,
      ]);
      expect(result.stderr).toBe('');
      expect(result.stdout.trim()).toBe(`${leafPem}: OK`);
      expect(certificates.chain(leaf.certificate.id)).toHaveLength(3);
      expect(leaf.key?.algorithm).toBe(l);
    },
  );

  it('signs with RSA-PSS when asked, and openssl verify accepts it', async () => {
    const root = await t.services.issuance.createRoot({
      subject: 'CN=PSS Root',
      key: { algorithm: 'rsa-2048' },
      validity: { years: 10 },
      signatureAlgorithm: 'rsa-pss-sha256',
    });
    const rootPem = writePem(t.dir, 'pss-root', t.services.certificates.der(root.certificate.id));
    const text = certificateText(rootPem);
    expect(text).toContain('Signature Algorithm: rsassaPss');
    expect(text).toMatch(/Salt Length: 0x20/);
    const result = openssl(['verify', '-x509_strict', '-CAfile', rootPem, rootPem]);
    expect(result.stdout.trim()).toBe(`${rootPem}: OK`);
  });

  it('deactivates a key it made when the issuer then fails to sign, and issues nothing', async () => {
    const { issuance, keys, certificates } = t.services;
    const root = await issuance.createRoot({
      subject: 'CN=Unplugged Root',
      key: { algorithm: 'ec-p256' },
      validity: { years: 10 },
    });
    const before = certificates.list({}).length;
    // The issuer's token is pulled out between key generation and the signature.
    const sign = vi
      .spyOn(keys, 'sign')
      .mockRejectedValueOnce(new MazeVaultError('TOKEN_ERROR', 'The token was removed.'));

    const error = await rejection(
      issuance.issueEndEntity({
        issuerCertId: root.certificate.id,
        profile: 'tls-server',
        subject: 'CN=orphan.example.com',
        sans: ['DNS:orphan.example.com'],
        key: { algorithm: 'ec-p256', label: 'orphan key' },
        validity: { days: 90 },
      }),
    );
    sign.mockRestore();

    expect(error.code).toBe('TOKEN_ERROR');
    expect(certificates.list({}).length).toBe(before);
    const orphan = keys.list({}).find((key) => key.label === 'orphan key');
    expect(orphan?.state).toBe('deactivated');
    const audit = t.services.vault.audit.list({ limit: 20 });
    expect(
      audit.some(
        (event) =>
          event.subject === orphan?.id &&
          JSON.stringify(event.details).includes('No certificate was issued for this key'),
      ),
    ).toBe(true);
  });

  it('refuses a signature algorithm that does not fit the key', async () => {
    const error = await rejection(
      t.services.issuance.createRoot({
        subject: 'CN=Mismatch',
        key: { algorithm: 'ec-p256' },
        validity: { years: 10 },
        signatureAlgorithm: 'rsa-pkcs1-sha256',
      }),
    );
    expect(error.code).toBe('INVALID_INPUT');
    expect(t.services.keys.list()).toHaveLength(0);
  });

  it('writes the extensions each profile needs, as openssl reads them', async () => {
    const { root, sub, leaf } = await makeHierarchy('ec-p256', 'ec-p256', 'rsa-2048');
    const { certificates } = t.services;
    const rootText = certificateText(
      writePem(t.dir, 'root', certificates.der(root.certificate.id)),
    );
    const subText = certificateText(writePem(t.dir, 'sub', certificates.der(sub.certificate.id)));
    const leafText = certificateText(
      writePem(t.dir, 'leaf', certificates.der(leaf.certificate.id)),
    );

    expect(rootText).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:1/);
    expect(rootText).toMatch(
      /X509v3 Key Usage: critical\s+Digital Signature, Certificate Sign, CRL Sign/,
    );
    expect(rootText).toContain('Subject: C = DE, O = "Acme, Inc.", CN = Test Root CA');
    expect(rootText).not.toContain('Extended Key Usage');

    expect(subText).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(subText).toMatch(
      /CRL Distribution Points:\s+Full Name:\s+URI:http:\/\/crl.example.com\/root.crl/,
    );

    expect(leafText).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(leafText).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment/);
    expect(leafText).toMatch(/X509v3 Extended Key Usage:\s+TLS Web Server Authentication/);
    expect(leafText).toMatch(/DNS:www.example.com, DNS:example.com, IP Address:192.0.2.7/);

    // The leaf's authority key identifier is the subordinate's subject key identifier.
    const subSki = /Subject Key Identifier:\s+([0-9A-F:]+)/.exec(subText)![1];
    const leafAki = /Authority Key Identifier:\s+(?:keyid:)?([0-9A-F:]+)/.exec(leafText)![1];
    expect(leafAki).toBe(subSki);
  });

  it('gives an EC server certificate only digitalSignature, since ECDSA keys do not encrypt', async () => {
    const { leaf } = await makeHierarchy('ec-p256', 'ec-p256', 'ec-p256');
    const text = certificateText(
      writePem(t.dir, 'leaf', t.services.certificates.der(leaf.certificate.id)),
    );
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature\n/);
  });

  it('refuses a validity outside the policy and names the range and the override', async () => {
    const error = await rejection(
      t.services.issuance.createRoot({
        subject: 'CN=Short Root',
        key: { algorithm: 'ec-p256' },
        validity: { years: 5 },
      }),
    );
    expect(error.code).toBe('POLICY_VIOLATION');
    expect(error.message).toContain('10 to 20 years');
    expect(error.message).toContain('override');
    // The refusal came before any key was made.
    expect(t.services.keys.list()).toHaveLength(0);
  });

  it('refuses an end-entity certificate longer than a year without an override', async () => {
    const { sub } = await makeHierarchy('ec-p256', 'ec-p256', 'ec-p256');
    const error = await rejection(
      t.services.issuance.issueEndEntity({
        issuerCertId: sub.certificate.id,
        profile: 'tls-client',
        subject: 'CN=alice',
        sans: [],
        key: { algorithm: 'ec-p256' },
        validity: { days: 400 },
      }),
    );
    expect(error.code).toBe('POLICY_VIOLATION');
    expect(error.message).toContain('90 days to 1 year');
  });

  it('accepts a validity outside the policy with an override reason, and audits it', async () => {
    const root = await t.services.issuance.createRoot({
      subject: 'CN=Lab Root',
      key: { algorithm: 'ec-p256' },
      validity: { years: 2 },
      override: { reason: 'lab root for the interop test bench' },
    });
    const events = t.services.vault.audit.list({ action: 'policy.override' });
    expect(events).toHaveLength(1);
    expect(events[0]!.subject).toBe(root.certificate.id);
    expect(events[0]!.details.reason).toBe('lab root for the interop test bench');
    const issued = t.services.vault.audit.list({ action: 'cert.issue' })[0]!;
    expect(issued.details).toMatchObject({
      serial: root.certificate.serial,
      profile: 'root-ca',
      subject: 'CN=Lab Root',
    });
  });

  it("refuses a certificate that would outlive its issuer and says the issuer's notAfter", async () => {
    const root = await t.services.issuance.createRoot({
      subject: 'CN=Lab Root',
      key: { algorithm: 'ec-p256' },
      validity: { years: 10 },
    });
    const error = await rejection(
      t.services.issuance.issueSubordinate({
        issuerCertId: root.certificate.id,
        subject: 'CN=Too Long Sub',
        key: { algorithm: 'ec-p256' },
        validity: { years: 12 },
        override: { reason: 'even an override cannot outlive the issuer' },
      }),
    );
    expect(error.code).toBe('POLICY_VIOLATION');
    expect(error.message).toContain(root.certificate.notAfter);
  });

  it('makes serial numbers of 16 random octets, positive and distinct', async () => {
    const serials = new Set<string>();
    for (let i = 0; i < 200; i += 1) {
      const serial = newSerialNumber();
      expect(serial).toHaveLength(16);
      expect(serial[0]! & 0x80).toBe(0);
      expect(serial[0]).not.toBe(0);
      serials.add(serial.toString('hex'));
    }
    expect(serials.size).toBe(200);

    const root = await t.services.issuance.createRoot({
      subject: 'CN=R',
      key: { algorithm: 'ed25519' },
      validity: { years: 10 },
    });
    const parsed = AsnConvert.parse(t.services.certificates.der(root.certificate.id), Certificate);
    expect(parsed.tbsCertificate.serialNumber.byteLength).toBe(16);
    expect(root.certificate.serial).toHaveLength(32);
  });

  it('writes UTCTime through 2049 and GeneralizedTime from 2050 (RFC 5280 §4.1.2.5)', async () => {
    expect(certificateTime(new Date('2049-12-31T23:59:59Z')).utcTime).toBeDefined();
    expect(certificateTime(new Date('2050-01-01T00:00:00Z')).generalTime).toBeDefined();

    const twenty = await t.services.issuance.createRoot({
      subject: 'CN=Twenty',
      key: { algorithm: 'ec-p256' },
      validity: { years: 20 },
    });
    const thirty = await t.services.issuance.createRoot({
      subject: 'CN=Thirty',
      key: { algorithm: 'ec-p256' },
      validity: { years: 30 },
      override: { reason: 'boundary test' },
    });
    for (const record of [twenty.certificate, thirty.certificate]) {
      const der = t.services.certificates.der(record.id);
      const asn1 = execFileSync('openssl', ['asn1parse', '-inform', 'DER'], {
        input: der,
        encoding: 'utf8',
      });
      const times = [...asn1.matchAll(/(UTCTIME|GENERALIZEDTIME)\s*:(\d+)Z/g)].map((m) => [
        m[1],
        m[2],
      ]);
      expect(times).toHaveLength(2);
      const notAfterYear = new Date(record.notAfter).getUTCFullYear();
      expect(times[1]![0]).toBe(notAfterYear >= 2050 ? 'GENERALIZEDTIME' : 'UTCTIME');
      expect(times[0]![0]).toBe('UTCTIME');
    }
    expect(new Date(thirty.certificate.notAfter).getUTCFullYear()).toBeGreaterThanOrEqual(2050);
    const text = certificateText(
      writePem(t.dir, 'thirty', t.services.certificates.der(thirty.certificate.id)),
    );
    expect(text).toContain(
      `Not After : ${new Date(thirty.certificate.notAfter).toUTCString().slice(8, 11)}`,
    );
  });

  it('signs a CSR made by openssl req after checking its signature', async () => {
    const { sub } = await makeHierarchy('ec-p256', 'ec-p256', 'ec-p256');
    const keyPath = join(t.dir, 'req.key');
    const csrPath = join(t.dir, 'req.csr');
    execFileSync(
      'openssl',
      [
        'req',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        keyPath,
        '-subj',
        '/O=Acme/CN=api.example.com',
        '-addext',
        'subjectAltName=DNS:api.example.com',
        '-out',
        csrPath,
      ],
      { stdio: 'ignore' },
    );

    const result = await t.services.issuance.issueEndEntity({
      issuerCertId: sub.certificate.id,
      profile: 'tls-server',
      sans: [],
      csr: readFileSync(csrPath),
      validity: { days: 90 },
    });
    expect(result.key).toBeNull();
    expect(result.certificate.subject).toBe('CN=api.example.com,O=Acme');
    const leafPem = writePem(t.dir, 'csr-leaf', t.services.certificates.der(result.certificate.id));
    const text = certificateText(leafPem);
    expect(text).toContain('DNS:api.example.com');
    // The certificate carries the CSR's key: its public key equals the one openssl made.
    const fromKey = execFileSync('openssl', ['pkey', '-in', keyPath, '-pubout'], {
      encoding: 'utf8',
    });
    const fromCert = execFileSync('openssl', ['x509', '-in', leafPem, '-noout', '-pubkey'], {
      encoding: 'utf8',
    });
    expect(fromCert).toBe(fromKey);
  });

  it('gives a certificate for an RSASSA-PSS key digitalSignature only, never keyEncipherment (RFC 4055)', async () => {
    const { sub } = await makeHierarchy('ec-p256', 'ec-p256', 'ec-p256');
    const usageOf = async (algorithm: 'rsa' | 'rsa-pss', name: string) => {
      const keyPath = join(t.dir, `${name}.key`);
      const csrPath = join(t.dir, `${name}.csr`);
      execFileSync('openssl', [
        'genpkey',
        '-algorithm',
        algorithm,
        '-pkeyopt',
        'rsa_keygen_bits:2048',
        '-out',
        keyPath,
      ]);
      execFileSync('openssl', [
        'req',
        '-new',
        '-key',
        keyPath,
        '-subj',
        `/CN=${name}.example.com`,
        '-addext',
        `subjectAltName=DNS:${name}.example.com`,
        '-out',
        csrPath,
      ]);
      const issued = await t.services.issuance.issueEndEntity({
        issuerCertId: sub.certificate.id,
        profile: 'tls-server',
        sans: [],
        csr: readFileSync(csrPath),
        validity: { days: 90 },
      });
      const text = certificateText(
        writePem(t.dir, name, t.services.certificates.der(issued.certificate.id)),
      );
      return /X509v3 Key Usage: critical\s*\n\s*(.*)/.exec(text)?.[1]?.trim();
    };
    expect(await usageOf('rsa-pss', 'pss')).toBe('Digital Signature');
    // A plain RSA key on a TLS server may still do RSA key transport.
    expect(await usageOf('rsa', 'plain-rsa')).toBe('Digital Signature, Key Encipherment');
  });

  it('checks that the issuer can sign before it makes the subject key, and makes none when it cannot', async () => {
    const { issuance, keys } = t.services;
    const root = await issuance.createRoot({
      subject: 'CN=Locked Token Root',
      key: { algorithm: 'ec-p256' },
      validity: { years: 10 },
    });
    const before = keys.list({}).length;
    const prepare = vi
      .spyOn(keys, 'prepareToSign')
      .mockRejectedValueOnce(
        new MazeVaultError(
          'TOKEN_ERROR',
          'Token 1234 is not logged in; log in with its user PIN first.',
        ),
      );
    const generate = vi.spyOn(keys, 'generate');
    const error = await rejection(
      issuance.issueEndEntity({
        issuerCertId: root.certificate.id,
        profile: 'tls-server',
        subject: 'CN=never.example.com',
        sans: ['DNS:never.example.com'],
        key: { algorithm: 'ec-p256' },
        validity: { days: 90 },
      }),
    );
    expect(error.code).toBe('TOKEN_ERROR');
    expect(prepare).toHaveBeenCalledWith(
      root.key.id,
      expect.stringContaining('CN=never.example.com'),
    );
    expect(generate).not.toHaveBeenCalled();
    expect(keys.list({}).length).toBe(before);
    prepare.mockRestore();
    generate.mockRestore();
  });

  it('refuses a CSR whose signature does not verify', async () => {
    const { sub } = await makeHierarchy('ec-p256', 'ec-p256', 'ec-p256');
    const csrPath = join(t.dir, 'req.der');
    execFileSync(
      'openssl',
      [
        'req',
        '-new',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(t.dir, 'k.pem'),
        '-subj',
        '/CN=x.example.com',
        '-outform',
        'DER',
        '-out',
        csrPath,
      ],
      { stdio: 'ignore' },
    );
    const der = readFileSync(csrPath);
    der[der.length - 5] ^= 0x01; // inside the signature BIT STRING
    writeFileSync(csrPath, der);

    const error = await rejection(
      t.services.issuance.issueEndEntity({
        issuerCertId: sub.certificate.id,
        profile: 'tls-server',
        sans: ['DNS:x.example.com'],
        csr: der,
        validity: { days: 90 },
      }),
    );
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('signature does not verify');
  });

  it('refuses to issue from a CA whose key is deactivated, and audits the refusal', async () => {
    const { sub } = await makeHierarchy('ec-p256', 'ec-p256', 'ec-p256');
    await t.services.keys.transition(sub.key.id, 'deactivated', 'end of the issuing period');
    const error = await rejection(
      t.services.issuance.issueEndEntity({
        issuerCertId: sub.certificate.id,
        profile: 'tls-client',
        subject: 'CN=bob',
        sans: [],
        key: { algorithm: 'ec-p256' },
        validity: { days: 90 },
      }),
    );
    expect(error.code).toBe('FORBIDDEN_BY_LIFECYCLE');
    const refused = t.services.vault.audit
      .list({ action: 'key.sign' })
      .find((e) => e.outcome === 'refused');
    expect(refused?.subject).toBe(sub.key.id);
  });

  it('refuses a subordinate below a CA whose path length is used up', async () => {
    const { sub } = await makeHierarchy('ec-p256', 'ec-p256', 'ec-p256');
    const error = await rejection(
      t.services.issuance.issueSubordinate({
        issuerCertId: sub.certificate.id,
        subject: 'CN=Third level',
        key: { algorithm: 'ec-p256' },
        validity: { years: 5 },
      }),
    );
    expect(error.code).toBe('POLICY_VIOLATION');
    expect(error.message).toContain('path length constraint is 0');
  });

  it('makes a CSR for a vault key that openssl verifies', async () => {
    const key = await t.services.keys.generate({ algorithm: 'rsa-2048', label: 'hsm stand-in' });
    const der = await t.services.issuance.createCsr({
      keyId: key.id,
      subject: 'CN=Issuing CA 2,O=Acme',
      sans: ['DNS:ca.example.com'],
    });
    const path = join(t.dir, 'made.csr');
    writeFileSync(path, der);
    const result = openssl(['req', '-inform', 'DER', '-in', path, '-verify', '-noout', '-text']);
    expect(result.stderr).toMatch(/verify OK|Certificate request self-signature verify OK/);
    expect(result.stdout).toContain('Subject: O = Acme, CN = Issuing CA 2');
    expect(result.stdout).toContain('DNS:ca.example.com');
  });
});
