// The inspector against real files from the corpus and from OpenSSL, cross-checked with
// `openssl x509 -text` where OpenSSL states the same fact.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decode } from '../../formats/decode';
import { parseDer } from '../../formats/decode-asn1';
import { readName } from './names';
import {
  type CertificateInspection,
  type ExtensionInfo,
  type NameInfo,
  type PublicKeyInfo,
  asn1Tree,
  inspectCertificate,
  inspectCrl,
  inspectCsr,
  inspectFile,
  isUndecodable,
} from '.';
import { CORPUS_DIR } from '../../testing/corpus';

const CORPUS = CORPUS_DIR;
const work = mkdtempSync(join(tmpdir(), 'mazevault-inspect-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function certificate(path: string): Promise<{ der: Buffer; info: CertificateInspection }> {
  const bundle = await decode(readFileSync(join(CORPUS, path)));
  const der = bundle.certificates[0]!.der;
  return { der, info: inspectCertificate(der) };
}

function openssl(args: string[], input?: Buffer): string {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
}

function extension(info: CertificateInspection, name: string): ExtensionInfo | undefined {
  return (info.extensions as ExtensionInfo[]).find((e) => e.name === name);
}

describe('inspectCertificate', () => {
  it('shows the fingerprints OpenSSL computes', async () => {
    const { der, info } = await certificate('interop/leaf.der');
    const sha256 = openssl(['x509', '-inform', 'DER', '-noout', '-fingerprint', '-sha256'], der);
    const sha1 = openssl(['x509', '-inform', 'DER', '-noout', '-fingerprint', '-sha1'], der);
    expect(sha256).toContain(info.fingerprints.sha256);
    expect(sha1).toContain(info.fingerprints.sha1);
  });

  it('reads the subject alternative names, key usage and validity encoding of a TLS leaf', async () => {
    const { info } = await certificate('interop/leaf.pem');
    const san = extension(info, 'subjectAltName')!.value as { type: string; value: string }[];
    expect(san).toContainEqual({ type: 'dNSName', value: 'www.example.test' });
    expect(san).toContainEqual({ type: 'iPAddress', value: '192.0.2.10' });
    expect(info.validity).toMatchObject({ notBefore: { encoding: 'UTCTime' } });
    expect((info.publicKey as PublicKeyInfo).bits).toBe(2048);
  });

  it('decodes UTF8String names in RFC 4514 order', async () => {
    const { info } = await certificate('interop/utf8-subject.pem');
    expect((info.subject as NameInfo).rfc4514).toMatch(/^CN=Šifrovací klíč ÄÖÜ 日本,O=/);
  });

  it('flags a negative serial and a zero serial', async () => {
    const negative = (await certificate('pyca/x509/custom/negative_serial.pem')).info;
    expect(negative.serial).toMatchObject({ negative: true });
    expect((negative.serial as { hex: string }).hex.startsWith('-')).toBe(true);
    const zero = (await certificate('pyca/x509/custom/ec_no_named_curve.pem')).info;
    expect(zero.serial).toMatchObject({ zero: true });
  });

  it('recognises explicit curve parameters as the named curve they spell out', async () => {
    const { info } = await certificate('pyca/x509/custom/ec_no_named_curve.pem');
    expect(info.publicKey).toMatchObject({ type: 'EC', curve: 'P-256', explicitCurve: true });
  });

  it('shows RSA-PSS signature parameters as OpenSSL reads them', async () => {
    const { der, info } = await certificate('pyca/x509/custom/rsa_pss_cert.pem');
    const text = openssl(['x509', '-inform', 'DER', '-noout', '-text'], der);
    const hash = /Hash Algorithm: (\w+)/.exec(text)![1]!.toUpperCase().replace('SHA', 'SHA-');
    const salt = parseInt(/Salt Length: 0x([0-9A-F]+)/i.exec(text)![1]!, 16);
    expect(info.signatureAlgorithm).toMatchObject({ name: 'RSASSA-PSS', pss: { hash } });
    expect((info.signatureAlgorithm as { pss: { saltLength: number } }).pss.saltLength).toBe(salt);
  });

  it('shows Ed25519, Ed448 and DSA keys', async () => {
    expect((await certificate('interop/ed25519.pem')).info.publicKey).toMatchObject({
      type: 'Ed25519',
    });
    expect((await certificate('pyca/x509/ed448/root-ed448.pem')).info.publicKey).toMatchObject({
      type: 'Ed448',
    });
    expect(
      (await certificate('pyca/x509/custom/dsa_selfsigned_ca.pem')).info.publicKey,
    ).toMatchObject({ type: 'DSA', bits: 2048 });
  });

  it('marks an unknown critical extension and keeps it as hex', async () => {
    const { info } = await certificate('pyca/x509/custom/unsupported_extension_critical.pem');
    const unknown = info.extensions as ExtensionInfo[];
    expect(unknown.find((e) => e.oid === '1.2.3.4')).toMatchObject({ critical: true });
    expect(info.problems.join(' ')).toMatch(/unknown critical extension 1\.2\.3\.4/);
  });

  it('shows a broken extension as hex and still shows the rest', async () => {
    const { info } = await certificate('pyca/x509/custom/cp_invalid.pem');
    const policies = extension(info, 'certificatePolicies')!;
    expect(policies.problem).toBeDefined();
    expect(policies.hex.length).toBeGreaterThan(0);
    expect((info.subject as NameInfo).rfc4514).toBe('CN=PyCA CA');
  });

  it('decodes a BMPString explicitText in certificate policies', async () => {
    const { info } = await certificate('pyca/x509/accvraiz1.pem');
    const text = JSON.stringify(extension(info, 'certificatePolicies')!.value);
    expect(text).toContain('"explicitTextEncoding":"BMPString"');
  });

  it('writes a multi-valued RDN joined by a plus sign', () => {
    const key = join(work, 'multi.key');
    const pem = openssl([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-subj',
      '/O=Example/CN=Alice+UID=alice',
      '-multivalue-rdn',
      '-days',
      '1',
    ]);
    writeFileSync(join(work, 'multi.pem'), pem);
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const subject = inspectCertificate(der).subject as NameInfo;
    expect(subject.rdns.at(-1)).toHaveLength(2);
    expect(subject.rfc4514).toMatch(/^(CN=Alice\+UID=alice|UID=alice\+CN=Alice),O=Example$/);
  });

  it('decodes a TeletexString as Latin-1', () => {
    // Name: SEQUENCE { SET { SEQUENCE { OID 2.5.4.3, T61String "Zürich" in Latin-1 } } }
    const value = Buffer.from('Zürich', 'latin1');
    const atv = Buffer.concat([
      Buffer.from([0x06, 0x03, 0x55, 0x04, 0x03, 0x14, value.length]),
      value,
    ]);
    const name = Buffer.concat([
      Buffer.from([0x30, atv.length + 4, 0x31, atv.length + 2, 0x30, atv.length]),
      atv,
    ]);
    const parsed = readName(parseDer(name));
    expect(parsed.rfc4514).toBe('CN=Zürich');
    expect(parsed.rdns[0]![0]!.encoding).toBe('TeletexString');
  });

  it('keeps showing a certificate whose validity cannot be read', async () => {
    const { info } = await certificate('pyca/x509/badasn1time.pem');
    expect(info.problems.join(' ')).toMatch(/validity/);
    expect((info.subject as NameInfo).rfc4514).toContain('CN=Default Common Name');
    expect(isUndecodable(info.issuer)).toBe(false);
  });
});

describe('inspectCrl and inspectCsr', () => {
  it('lists every revoked entry with its reason', async () => {
    const bundle = await decode(readFileSync(join(CORPUS, 'interop/int.crl.pem')));
    const crl = inspectCrl(bundle.crls[0]!);
    const text = openssl(
      ['crl', '-noout', '-text'],
      readFileSync(join(CORPUS, 'interop/int.crl.pem')),
    );
    expect(crl.revokedCount).toBe(text.match(/Serial Number:/g)!.length);
    expect(JSON.stringify(crl.revoked[0]!.extensions)).toContain('keyCompromise');
    expect(crl.nextUpdate?.iso).toBeDefined();
  });

  it('reads the subject and requested extensions of a CSR', async () => {
    const bundle = await decode(readFileSync(join(CORPUS, 'pyca/x509/requests/san_rsa_sha1.pem')));
    const csr = inspectCsr(bundle.csrs[0]!);
    expect(csr.requestedExtensions.map((e) => e.name)).toContain('subjectAltName');
    expect(csr.publicKey).toMatchObject({ type: 'RSA' });
  });
});

describe('asn1Tree and inspectFile', () => {
  it('gives every element its offset and length', () => {
    const der = readFileSync(join(CORPUS, 'interop/leaf.der'));
    const tree = asn1Tree(der);
    expect(tree).toMatchObject({
      tag: 'SEQUENCE',
      offset: 0,
      length: der.length - tree.headerLength,
    });
    const tbs = tree.children![0]!;
    expect(tbs.offset).toBe(tree.headerLength);
    // TBSCertificate: [0] version, serialNumber, signature AlgorithmIdentifier { OID, NULL }, …
    expect(tbs.children![2]!.children![0]!.preview).toBe('1.2.840.113549.1.1.11');
  });

  it('summarises a PKCS#12 with its key paired to the chain, without key bytes', async () => {
    const bytes = readFileSync(join(CORPUS, 'interop/leaf-openssl3-default.p12'));
    const summary = await inspectFile(bytes, { password: 'changeit' });
    expect(summary.format).toBe('pkcs12');
    expect(summary.privateKeys).toHaveLength(1);
    expect(summary.privateKeys[0]!).toMatchObject({ type: 'RSA', bits: 2048 });
    expect(summary.privateKeys[0]!.chainSha256[0]).toBe(
      summary.certificates[0]!.fingerprints.sha256,
    );
    expect(JSON.stringify(summary)).not.toMatch(/pkcs8/);
  });

  it('says which password a file needs instead of failing', async () => {
    const bytes = readFileSync(join(CORPUS, 'interop/keystore.jks'));
    const summary = await inspectFile(bytes);
    expect(summary.error).toMatchObject({
      code: 'WRONG_PASSWORD',
      passwordTarget: { kind: 'file' },
    });
  });

  it('describes a bare public key file', async () => {
    const bytes = readFileSync(join(CORPUS, 'pyca/asymmetric/Ed448/ed448-pub.pem'));
    const summary = await inspectFile(bytes);
    expect(summary.publicKeys).toMatchObject([{ type: 'Ed448' }]);
    expect(summary.error).toBeUndefined();
  });
});
