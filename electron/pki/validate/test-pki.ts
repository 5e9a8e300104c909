// Test-only: a throwaway PKI made with the openssl command line, so the validator is judged
// against certificates and CRLs produced by an independent implementation.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type TestKeyType = 'p256' | 'p384' | 'rsa' | 'rsa-pss' | 'ed25519';

export interface TestCert {
  name: string;
  keyPath: string;
  certPath: string;
  der: Buffer;
}

export interface IssueOptions {
  subject: string;
  key?: TestKeyType;
  /** Reuse the key of an earlier certificate (same CA, another certificate). */
  reuseKeyOf?: TestCert;
  /** Omit for a self-signed certificate. */
  issuer?: TestCert;
  days?: number;
  /** Lines of the v3 extension section, e.g. `basicConstraints=critical,CA:TRUE`. */
  extensions: string[];
  digest?: 'sha256' | 'sha384' | 'sha1' | null;
  sigopts?: string[];
}

export const CA_EXTENSIONS = [
  'basicConstraints=critical,CA:TRUE',
  'keyUsage=critical,keyCertSign,cRLSign',
  'subjectKeyIdentifier=hash',
  'authorityKeyIdentifier=keyid:always',
];

export function leafExtensions(san: string, extra: string[] = []): string[] {
  return [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=serverAuth',
    'subjectKeyIdentifier=hash',
    'authorityKeyIdentifier=keyid:always',
    `subjectAltName=${san}`,
    ...extra,
  ];
}

const KEY_ARGS: Record<TestKeyType, string[]> = {
  p256: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  p384: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  rsa: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  'rsa-pss': ['-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048'],
  ed25519: ['-algorithm', 'ED25519'],
};

export class TestPki {
  readonly dir = mkdtempSync(join(tmpdir(), 'mazevault-validate-'));
  private serial = 0x1000;

  openssl(args: string[]): string {
    return execFileSync('openssl', args, {
      cwd: this.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    }).toString();
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  issue(name: string, options: IssueOptions): TestCert {
    const keyPath = options.reuseKeyOf?.keyPath ?? this.path(`${name}.key`);
    if (!options.reuseKeyOf) {
      this.openssl(['genpkey', ...KEY_ARGS[options.key ?? 'p256'], '-out', keyPath]);
    }
    const csr = this.path(`${name}.csr`);
    this.openssl(['req', '-new', '-key', keyPath, '-subj', options.subject, '-out', csr]);
    const ext = this.path(`${name}.ext`);
    writeFileSync(ext, `[v3]\n${options.extensions.join('\n')}\n`);
    const certPath = this.path(`${name}.pem`);
    this.serial += 1;
    const signer = options.issuer
      ? ['-CA', options.issuer.certPath, '-CAkey', options.issuer.keyPath]
      : ['-signkey', keyPath];
    const digest = options.digest === undefined ? 'sha256' : options.digest;
    this.openssl([
      'x509',
      '-req',
      '-in',
      csr,
      ...signer,
      '-set_serial',
      `0x${this.serial.toString(16)}`,
      '-days',
      String(options.days ?? 3650),
      '-extfile',
      ext,
      '-extensions',
      'v3',
      ...(digest ? [`-${digest}`] : []),
      ...(options.sigopts ?? []).flatMap((o) => ['-sigopt', o]),
      '-out',
      certPath,
    ]);
    this.openssl(['x509', '-in', certPath, '-outform', 'DER', '-out', `${certPath}.der`]);
    return { name, keyPath, certPath, der: readFileSync(`${certPath}.der`) };
  }

  /**
   * Runs `openssl ca` for `ca`: revokes each certificate with its reason, then issues a CRL
   * valid for `hours` (via -crlhours). Returns the CRL in DER.
   */
  crl(ca: TestCert, revoke: { cert: TestCert; reason: string }[], hours = 24): Buffer {
    const base = this.path(`${ca.name}-ca`);
    writeFileSync(`${base}.index`, '');
    writeFileSync(`${base}.crlnumber`, '01\n');
    writeFileSync(
      `${base}.cnf`,
      [
        '[ca]',
        'default_ca = test',
        '[test]',
        `database = ${base}.index`,
        `crlnumber = ${base}.crlnumber`,
        `certificate = ${ca.certPath}`,
        `private_key = ${ca.keyPath}`,
        'default_md = sha256',
        'crl_extensions = crl_ext',
        '[crl_ext]',
        'authorityKeyIdentifier = keyid:always',
        '',
      ].join('\n'),
    );
    for (const { cert, reason } of revoke) {
      this.openssl([
        'ca',
        '-config',
        `${base}.cnf`,
        '-revoke',
        cert.certPath,
        '-crl_reason',
        reason,
      ]);
    }
    const out = this.path(`${ca.name}-${Date.now()}.crl`);
    this.openssl([
      'ca',
      '-config',
      `${base}.cnf`,
      '-gencrl',
      '-crlhours',
      String(hours),
      '-out',
      out,
    ]);
    this.openssl(['crl', '-in', out, '-outform', 'DER', '-out', `${out}.der`]);
    return readFileSync(`${out}.der`);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
