import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CA_EXTENSIONS, TestPki, leafExtensions, type TestCert } from './test-pki';
import { validatePath } from './validate';
import type { ValidationInput, ValidationResult } from './types';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let pki: TestPki;
let root: TestCert;
let inter: TestCert;
let leaf: TestCert;
// Ten minutes ahead, so certificates issued while the tests run are already valid at `now`.
const now = new Date(Date.now() + 10 * 60_000);

function base(overrides: Partial<ValidationInput> = {}): ValidationInput {
  return {
    leaf: leaf.der,
    intermediates: [inter.der],
    trustAnchors: [root.der],
    at: now,
    purpose: 'server-auth',
    ...overrides,
  };
}

function failedCheck(result: ValidationResult): {
  check: string;
  certificate: string;
  detail: string;
} {
  const failed = result.checks.find((c) => !c.ok);
  if (!failed) throw new Error('expected a failed check');
  return failed;
}

beforeAll(() => {
  pki = new TestPki();
  root = pki.issue('root', {
    subject: '/O=MazeVault Test/CN=Test Root CA',
    extensions: CA_EXTENSIONS,
  });
  inter = pki.issue('inter', {
    subject: '/O=MazeVault Test/CN=Test Issuing CA',
    issuer: root,
    extensions: CA_EXTENSIONS,
  });
  leaf = pki.issue('leaf', {
    subject: '/CN=www.example.test',
    issuer: inter,
    days: 30,
    extensions: leafExtensions('DNS:www.example.test,DNS:*.api.example.test,IP:192.0.2.10'),
  });
});

afterAll(() => pki.cleanup());

describe('validatePath', () => {
  it('accepts a root → intermediate → leaf chain made by openssl and lists it leaf first', () => {
    const result = validatePath(base({ peerName: { kind: 'DNS', value: 'www.example.test' } }));

    expect(result.firstFailure).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(result.chain.map((c) => c.subject)).toEqual([
      'CN=www.example.test',
      'CN=Test Issuing CA,O=MazeVault Test',
      'CN=Test Root CA,O=MazeVault Test',
    ]);
    expect(result.chain[0].sha256).toBe(createHash('sha256').update(leaf.der).digest('hex'));
    const names = new Set(result.checks.map((c) => c.check));
    for (const check of [
      'signature',
      'validity',
      'basic-constraints',
      'key-usage',
      'path-length',
      'extended-key-usage',
      'name-constraints',
      'revocation',
      'peer-name',
      'trust-anchor',
    ]) {
      expect(names.has(check), check).toBe(true);
    }
  });

  it('accepts PEM as well as DER input', () => {
    const result = validatePath(
      base({ leaf: readFileSync(leaf.certPath), trustAnchors: [readFileSync(root.certPath)] }),
    );
    expect(result.valid).toBe(true);
  });

  it('matches DNS peer names exactly or through a one-label wildcard, and IP addresses', () => {
    const peer = (kind: 'DNS' | 'IP', value: string): boolean =>
      validatePath(base({ peerName: { kind, value } })).valid;

    expect(peer('DNS', 'WWW.Example.Test')).toBe(true);
    expect(peer('DNS', 'foo.api.example.test')).toBe(true);
    expect(peer('DNS', 'a.b.api.example.test')).toBe(false);
    expect(peer('DNS', 'api.example.test')).toBe(false);
    expect(peer('IP', '192.0.2.10')).toBe(true);
    expect(peer('IP', '192.0.2.11')).toBe(false);
  });

  it('says which names the leaf has when the peer name does not match', () => {
    const result = validatePath(base({ peerName: { kind: 'DNS', value: 'mail.example.test' } }));
    expect(result.valid).toBe(false);
    expect(failedCheck(result).check).toBe('peer-name');
    expect(result.firstFailure).toContain('www.example.test, *.api.example.test');
  });

  it('refuses an expired leaf and says when it expired', () => {
    const result = validatePath(base({ at: new Date(now.getTime() + 40 * DAY) }));
    expect(result.valid).toBe(false);
    expect(failedCheck(result)).toMatchObject({
      check: 'validity',
      certificate: 'CN=www.example.test',
    });
    expect(result.firstFailure).toMatch(
      /^The end-entity certificate "CN=www.example.test" failed the validity check: expired on /,
    );
  });

  it('refuses a leaf whose extended key usage does not allow the purpose asked for', () => {
    const client = pki.issue('client', {
      subject: '/CN=client.example.test',
      issuer: inter,
      extensions: leafExtensions('DNS:client.example.test').map((l) =>
        l.startsWith('extendedKeyUsage') ? 'extendedKeyUsage=clientAuth' : l,
      ),
    });
    const asServer = validatePath(base({ leaf: client.der, purpose: 'server-auth' }));
    expect(asServer.valid).toBe(false);
    expect(failedCheck(asServer).check).toBe('extended-key-usage');
    expect(asServer.firstFailure).toContain('does not allow server-auth');

    expect(validatePath(base({ leaf: client.der, purpose: 'client-auth' })).valid).toBe(true);
  });

  it('refuses a certificate that the issuer revoked on its CRL, naming the reason', () => {
    const revoked = pki.issue('revoked', {
      subject: '/CN=revoked.example.test',
      issuer: inter,
      extensions: leafExtensions('DNS:revoked.example.test'),
    });
    const crl = pki.crl(inter, [{ cert: revoked, reason: 'keyCompromise' }]);

    const result = validatePath(base({ leaf: revoked.der, crls: [crl] }));
    expect(result.valid).toBe(false);
    expect(failedCheck(result)).toMatchObject({
      check: 'revocation',
      certificate: 'CN=revoked.example.test',
    });
    expect(result.firstFailure).toContain('reason: keyCompromise');

    const good = validatePath(base({ crls: [crl] }));
    expect(good.valid).toBe(true);
    const leafRevocation = good.checks.find(
      (c) => c.check === 'revocation' && c.certificate === 'CN=www.example.test',
    );
    expect(leafRevocation?.detail).toMatch(/^not listed on the CRL issued/);
  });

  it('refuses a CRL that carries the issuer name but was signed by another key', () => {
    const impostor = pki.issue('impostor', {
      subject: '/O=MazeVault Test/CN=Test Issuing CA',
      extensions: CA_EXTENSIONS,
    });
    const forged = pki.crl(impostor, []);
    const result = validatePath(base({ crls: [forged] }));
    expect(result.valid).toBe(false);
    expect(failedCheck(result).check).toBe('revocation');
    expect(result.firstFailure).toContain("not signed by the issuing CA's key");
  });

  it('refuses a CRL that is past its nextUpdate at the validation time', () => {
    const crl = pki.crl(inter, [], 1);
    const result = validatePath(base({ crls: [crl], at: new Date(now.getTime() + 3 * HOUR) }));
    expect(result.valid).toBe(false);
    expect(result.firstFailure).toContain('is not current');
  });

  it('refuses a leaf whose signature bytes were altered', () => {
    const tampered = Buffer.from(leaf.der);
    tampered[tampered.length - 1] ^= 0x01;
    const result = validatePath(base({ leaf: tampered }));
    expect(result.valid).toBe(false);
    expect(failedCheck(result).check).toBe('signature');
    expect(result.firstFailure).toContain('does not verify');
  });

  it('enforces a pathLenConstraint set above, and does not count self-issued CAs', () => {
    const limited = pki.issue('limited', {
      subject: '/CN=Limited Root',
      extensions: ['basicConstraints=critical,CA:TRUE,pathlen:1', ...CA_EXTENSIONS.slice(1)],
    });
    const first = pki.issue('first', {
      subject: '/CN=First CA',
      issuer: limited,
      extensions: CA_EXTENSIONS,
    });
    const second = pki.issue('second', {
      subject: '/CN=Second CA',
      issuer: first,
      extensions: CA_EXTENSIONS,
    });
    // A key rollover certificate: First CA's new key certified by its old one (self-issued).
    const rollover = pki.issue('rollover', {
      subject: '/CN=First CA',
      issuer: first,
      extensions: CA_EXTENSIONS,
    });
    const issueUnder = (ca: TestCert, host: string): TestCert =>
      pki.issue(host, {
        subject: `/CN=${host}`,
        issuer: ca,
        extensions: leafExtensions(`DNS:${host}`),
      });
    const run = (end: TestCert): ValidationResult =>
      validatePath({
        leaf: end.der,
        intermediates: [first.der, second.der, rollover.der],
        trustAnchors: [limited.der],
        at: now,
      });

    const deep = run(issueUnder(second, 'deep.example.test'));
    expect(deep.valid).toBe(false);
    expect(failedCheck(deep)).toMatchObject({ check: 'path-length', certificate: 'CN=Second CA' });

    expect(run(issueUnder(first, 'shallow.example.test')).firstFailure).toBeUndefined();

    const rolled = run(issueUnder(rollover, 'rolled.example.test'));
    expect(rolled.firstFailure).toBeUndefined();
    expect(rolled.chain.map((c) => c.subject)).toEqual([
      'CN=rolled.example.test',
      'CN=First CA',
      'CN=First CA',
      'CN=Limited Root',
    ]);
  });

  it('refuses an intermediate whose keyUsage lacks keyCertSign', () => {
    const noSign = pki.issue('nosign', {
      subject: '/CN=No Sign CA',
      issuer: root,
      extensions: CA_EXTENSIONS.map((l) =>
        l.startsWith('keyUsage') ? 'keyUsage=critical,digitalSignature,cRLSign' : l,
      ),
    });
    const child = pki.issue('nosign-leaf', {
      subject: '/CN=x.example.test',
      issuer: noSign,
      extensions: leafExtensions('DNS:x.example.test'),
    });
    const result = validatePath(base({ leaf: child.der, intermediates: [noSign.der] }));
    expect(result.valid).toBe(false);
    expect(failedCheck(result)).toMatchObject({ check: 'key-usage', certificate: 'CN=No Sign CA' });
    expect(result.firstFailure).toContain('lacks keyCertSign');
  });

  it('refuses an intermediate that is not a CA', () => {
    const notCa = pki.issue('notca', {
      subject: '/CN=Not A CA',
      issuer: root,
      extensions: ['basicConstraints=critical,CA:FALSE', ...CA_EXTENSIONS.slice(2)],
    });
    const child = pki.issue('notca-leaf', {
      subject: '/CN=y.example.test',
      issuer: notCa,
      extensions: leafExtensions('DNS:y.example.test'),
    });
    const result = validatePath(base({ leaf: child.der, intermediates: [notCa.der] }));
    expect(result.valid).toBe(false);
    expect(failedCheck(result)).toMatchObject({
      check: 'basic-constraints',
      certificate: 'CN=Not A CA',
    });
  });

  it('applies the name constraints of a CA to the names of the leaf', () => {
    const constrained = pki.issue('constrained', {
      subject: '/CN=Constrained CA',
      issuer: root,
      extensions: [
        ...CA_EXTENSIONS,
        'nameConstraints=critical,permitted;DNS:example.test,excluded;DNS:bad.example.test',
      ],
    });
    const inside = pki.issue('inside', {
      subject: '/CN=in.example.test',
      issuer: constrained,
      extensions: leafExtensions('DNS:in.example.test'),
    });
    const outside = pki.issue('outside', {
      subject: '/CN=out.other.test',
      issuer: constrained,
      extensions: leafExtensions('DNS:out.other.test'),
    });
    const excluded = pki.issue('excluded', {
      subject: '/CN=x.bad.example.test',
      issuer: constrained,
      extensions: leafExtensions('DNS:x.bad.example.test'),
    });
    const run = (c: TestCert): ValidationResult =>
      validatePath(base({ leaf: c.der, intermediates: [constrained.der] }));

    expect(run(inside).valid).toBe(true);
    const out = run(outside);
    expect(failedCheck(out).check).toBe('name-constraints');
    expect(out.firstFailure).toContain('DNS:out.other.test is outside the permitted subtrees');
    expect(run(excluded).firstFailure).toContain(
      'inside the excluded subtree DNS:bad.example.test',
    );
  });

  it('refuses a critical extension it does not understand', () => {
    const odd = pki.issue('odd', {
      subject: '/CN=odd.example.test',
      issuer: inter,
      extensions: leafExtensions('DNS:odd.example.test', [
        '1.3.6.1.4.1.99999.1=critical,ASN1:NULL',
      ]),
    });
    const result = validatePath(base({ leaf: odd.der }));
    expect(failedCheck(result).check).toBe('extensions');
    expect(result.firstFailure).toContain('critical extension 1.3.6.1.4.1.99999.1');
  });

  it('refuses a CA whose subjectKeyIdentifier is marked critical', () => {
    const criticalSki = pki.issue('critski', {
      subject: '/CN=Critical SKI CA',
      issuer: root,
      extensions: CA_EXTENSIONS.map((l) =>
        l.startsWith('subjectKeyIdentifier') ? 'subjectKeyIdentifier=critical,hash' : l,
      ),
    });
    const child = pki.issue('critski-leaf', {
      subject: '/CN=z.example.test',
      issuer: criticalSki,
      extensions: leafExtensions('DNS:z.example.test'),
    });
    const result = validatePath(base({ leaf: child.der, intermediates: [criticalSki.der] }));
    expect(failedCheck(result)).toMatchObject({
      check: 'extensions',
      certificate: 'CN=Critical SKI CA',
    });
    expect(result.firstFailure).toContain('subjectKeyIdentifier extension is marked critical');
  });

  it('refuses a CRL from a CA whose keyUsage does not allow CRL signing', () => {
    const noCrlSign = pki.issue('nocrlsign', {
      subject: '/CN=No CRL Sign CA',
      issuer: root,
      extensions: CA_EXTENSIONS.map((l) =>
        l.startsWith('keyUsage') ? 'keyUsage=critical,keyCertSign' : l,
      ),
    });
    const child = pki.issue('nocrlsign-leaf', {
      subject: '/CN=w.example.test',
      issuer: noCrlSign,
      extensions: leafExtensions('DNS:w.example.test'),
    });
    const crl = pki.crl(noCrlSign, []);
    const input = base({ leaf: child.der, intermediates: [noCrlSign.der] });
    expect(validatePath(input).valid).toBe(true);
    const result = validatePath({ ...input, crls: [crl] });
    expect(failedCheck(result)).toMatchObject({
      check: 'revocation',
      certificate: 'CN=w.example.test',
    });
    expect(result.firstFailure).toContain('does not include cRLSign');
  });

  it('refuses to confirm revocation when a supplied CRL cannot be read', () => {
    const result = validatePath(base({ crls: [Buffer.from('garbage')] }));
    expect(result.valid).toBe(false);
    expect(failedCheck(result).check).toBe('crl');
    expect(result.firstFailure).toContain('revocation cannot be confirmed');
  });

  it('refuses an intermediate whose extKeyUsage does not allow the purpose (EKU chaining)', () => {
    const clientOnly = pki.issue('clientonly', {
      subject: '/CN=Client Only CA',
      issuer: root,
      extensions: [...CA_EXTENSIONS, 'extendedKeyUsage=clientAuth'],
    });
    const child = pki.issue('clientonly-leaf', {
      subject: '/CN=v.example.test',
      issuer: clientOnly,
      extensions: leafExtensions('DNS:v.example.test').filter((l) => !l.startsWith('extended')),
    });
    const input = base({ leaf: child.der, intermediates: [clientOnly.der] });
    const result = validatePath(input);
    expect(failedCheck(result)).toMatchObject({
      check: 'extended-key-usage',
      certificate: 'CN=Client Only CA',
    });
    expect(validatePath({ ...input, purpose: 'client-auth' }).valid).toBe(true);
  });

  it('refuses a leaf without an authorityKeyIdentifier', () => {
    const bare = pki.issue('bare', {
      subject: '/CN=bare.example.test',
      issuer: inter,
      // OpenSSL 3 adds an authorityKeyIdentifier unless told `none`.
      extensions: leafExtensions('DNS:bare.example.test').map((l) =>
        l.startsWith('authorityKey') ? 'authorityKeyIdentifier=none' : l,
      ),
    });
    const result = validatePath(base({ leaf: bare.der }));
    expect(failedCheck(result).check).toBe('authority-key-identifier');
    expect(result.firstFailure).toContain('RFC 5280 §4.2.1.1 requires');
  });

  it('backtracks to another certificate of the same CA when the first one fails', () => {
    const crippled = pki.issue('crippled', {
      subject: '/O=MazeVault Test/CN=Test Issuing CA',
      issuer: root,
      reuseKeyOf: inter,
      extensions: CA_EXTENSIONS.map((l) =>
        l.startsWith('keyUsage') ? 'keyUsage=critical,cRLSign' : l,
      ),
    });
    const result = validatePath(base({ intermediates: [crippled.der, inter.der] }));
    expect(result.valid).toBe(true);
    const alone = validatePath(base({ intermediates: [crippled.der] }));
    expect(alone.valid).toBe(false);
    expect(result.chain[1].sha256).not.toBe(alone.chain[1].sha256);
  });

  it('prefers the unexpired one of two certificates for the same intermediate CA', () => {
    const shortLived = pki.issue('short', {
      subject: '/O=MazeVault Test/CN=Test Issuing CA',
      issuer: root,
      reuseKeyOf: inter,
      days: 1,
      extensions: CA_EXTENSIONS,
    });
    const at = new Date(now.getTime() + 2 * DAY);
    expect(validatePath(base({ at, intermediates: [shortLived.der] })).firstFailure).toContain(
      'validity check: expired',
    );
    expect(validatePath(base({ at, intermediates: [shortLived.der, inter.der] })).valid).toBe(true);
  });

  it('honours a maximum number of intermediates', () => {
    const tooDeep = validatePath(base({ maxDepth: 0 }));
    expect(tooDeep.valid).toBe(false);
    expect(failedCheck(tooDeep).check).toBe('max-depth');
    expect(validatePath(base({ maxDepth: 1 })).valid).toBe(true);
  });

  it.each([
    ['RSA PKCS#1 v1.5', 'rsa', undefined, 'RSA PKCS#1 v1.5 with SHA256'],
    ['RSASSA-PSS', 'rsa', ['rsa_padding_mode:pss', 'rsa_pss_saltlen:32'], 'RSASSA-PSS with SHA256'],
    ['ECDSA P-384', 'p384', undefined, 'ECDSA with SHA256'],
    ['Ed25519', 'ed25519', undefined, 'Ed25519'],
  ] as const)('verifies a leaf signed with %s', (label, key, sigopts, scheme) => {
    const anchor = pki.issue(`root-${key}-${sigopts ? 'pss' : 'plain'}`, {
      subject: `/CN=${label} Root`,
      key,
      digest: key === 'ed25519' ? null : 'sha256',
      sigopts: sigopts ? [...sigopts] : undefined,
      extensions: CA_EXTENSIONS,
    });
    const signed = pki.issue(`leaf-${anchor.name}`, {
      subject: '/CN=alg.example.test',
      issuer: anchor,
      digest: key === 'ed25519' ? null : 'sha256',
      sigopts: sigopts ? [...sigopts] : undefined,
      extensions: leafExtensions('DNS:alg.example.test'),
    });
    const result = validatePath({
      leaf: signed.der,
      intermediates: [],
      trustAnchors: [anchor.der],
      at: now,
    });
    expect(result.firstFailure).toBeUndefined();
    expect(
      result.checks.find((c) => c.check === 'signature' && c.certificate === 'CN=alg.example.test')
        ?.detail,
    ).toContain(scheme);
  });

  it('refuses a SHA-1 signature', () => {
    const rsaRoot = pki.issue('sha1-root', {
      subject: '/CN=SHA1 Root',
      key: 'rsa',
      extensions: CA_EXTENSIONS,
    });
    const old = pki.issue('sha1-leaf', {
      subject: '/CN=old.example.test',
      issuer: rsaRoot,
      digest: 'sha1',
      extensions: leafExtensions('DNS:old.example.test'),
    });
    const result = validatePath({
      leaf: old.der,
      intermediates: [],
      trustAnchors: [rsaRoot.der],
      at: now,
    });
    expect(result.valid).toBe(false);
    expect(result.firstFailure).toContain('SHA-1 with RSA, which is no longer trusted');
  });

  it('gives up in bounded time on a tangle of cross-signed CAs that never reaches an anchor', () => {
    const first = pki.issue('tangle-0', { subject: '/CN=Tangle CA', extensions: CA_EXTENSIONS });
    const keys = [first];
    for (let i = 1; i < 5; i += 1) {
      keys.push(pki.issue(`tangle-${i}`, { subject: '/CN=Tangle CA', extensions: CA_EXTENSIONS }));
    }
    const cross: Buffer[] = [];
    for (const subject of keys) {
      for (const issuer of keys) {
        if (subject === issuer) continue;
        cross.push(
          pki.issue(`x-${subject.name}-${issuer.name}`, {
            subject: '/CN=Tangle CA',
            issuer,
            reuseKeyOf: subject,
            extensions: CA_EXTENSIONS,
          }).der,
        );
      }
    }
    const lost = pki.issue('lost', {
      subject: '/CN=lost.example.test',
      issuer: first,
      extensions: leafExtensions('DNS:lost.example.test'),
    });

    const started = Date.now();
    const result = validatePath({
      leaf: lost.der,
      intermediates: cross,
      trustAnchors: [root.der],
      at: now,
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.valid).toBe(false);
    expect(failedCheck(result).check).toBe('chain-building');
  });

  it('explains a missing intermediate in words', () => {
    const result = validatePath(base({ intermediates: [] }));
    expect(result.valid).toBe(false);
    expect(result.firstFailure).toContain('"CN=Test Issuing CA,O=MazeVault Test"');
    expect(result.firstFailure).toContain('Supply the missing CA certificate');
  });

  it('does not trust a root that is given only as an intermediate', () => {
    const result = validatePath(base({ intermediates: [inter.der, root.der], trustAnchors: [] }));
    expect(result.valid).toBe(false);
    expect(result.firstFailure).toContain('self-signed but is not one of the trust anchors');
  });

  it('reports an unreadable leaf as a failed check instead of throwing', () => {
    const result = validatePath(base({ leaf: Buffer.from('not a certificate') }));
    expect(result.valid).toBe(false);
    expect(result.checks).toEqual([expect.objectContaining({ check: 'parse', ok: false })]);
    expect(result.firstFailure).toContain('cannot be read');
  });
});

describe('anchors that are not self-signed (RFC 5280 §6.1.1(d): a name and a key)', () => {
  it('validates a leaf against an issuing CA trusted directly, without checking the CA itself', () => {
    const result = validatePath(base({ intermediates: [], trustAnchors: [inter.der] }));
    expect(result.valid, JSON.stringify(result.checks.filter((c) => !c.ok))).toBe(true);
    // The anchor's checks come after the leaf's.
    const signatures = result.checks.filter((c) => c.check === 'signature');
    expect(signatures.at(-1)?.detail).toMatch(/trusted as given/);
    const keyIds = result.checks.filter((c) => c.check === 'authority-key-identifier');
    expect(keyIds.every((c) => c.ok)).toBe(true);
  });

  it('accepts a leaf the officer trusts directly', () => {
    const result = validatePath(base({ intermediates: [], trustAnchors: [leaf.der] }));
    expect(result.valid, JSON.stringify(result.checks.filter((c) => !c.ok))).toBe(true);
  });
});
