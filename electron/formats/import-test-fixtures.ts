// Real artefacts for the import and interop tests, written by OpenSSL in a temp folder: a root CA,
// a TLS leaf signed by it, their keys, a PKCS#12 of the leaf with its chain, and a CRL revoking
// the leaf. Test support only; nothing here runs in the product.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FIXTURE_PASSWORD = 'import-test-password';

export interface OpensslPki {
  dir: string;
  path: (name: string) => string;
  read: (name: string) => Buffer;
  /** SHA-256 fingerprint of a PEM certificate file, lower-case hex without colons. */
  fingerprint: (name: string) => string;
  /** SHA-256 of the DER public key of a PEM key or certificate file, lower-case hex. */
  spkiSha256: (name: string, kind: 'key' | 'cert') => string;
  cleanup: () => void;
}

export function run(command: string, args: string[], cwd?: string, input?: string): string {
  return execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    input,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/**
 * root.key/root.pem (EC P-256 CA), leaf.key/leaf.pem (EC P-256, serverAuth), chain.pem (leaf and
 * root), leaf.p12 (AES, FIXTURE_PASSWORD), root.crl (revokes the leaf).
 */
export function makeOpensslPki(): OpensslPki {
  const dir = mkdtempSync(join(tmpdir(), 'mazevault-import-'));
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => run('openssl', args, dir);

  writeFileSync(
    at('ca.cnf'),
    [
      '[ca]',
      'default_ca = local',
      '[local]',
      'database = index.txt',
      'crlnumber = crlnumber',
      'default_md = sha256',
      'default_crl_days = 30',
      '[root_ext]',
      'basicConstraints = critical,CA:true',
      'keyUsage = critical,keyCertSign,cRLSign',
      'subjectKeyIdentifier = hash',
      '[leaf_ext]',
      'basicConstraints = CA:false',
      'keyUsage = critical,digitalSignature',
      'extendedKeyUsage = serverAuth',
      'subjectAltName = DNS:import.example',
      'authorityKeyIdentifier = keyid',
      '',
    ].join('\n'),
  );
  writeFileSync(at('index.txt'), '');
  writeFileSync(at('crlnumber'), '01\n');

  openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'root.sec1');
  openssl('pkcs8', '-topk8', '-nocrypt', '-in', 'root.sec1', '-out', 'root.key');
  openssl(
    'req',
    '-new',
    '-x509',
    '-key',
    'root.key',
    '-subj',
    '/CN=Import Test Root/O=MazeVault Tests',
    '-days',
    '3650',
    '-config',
    'ca.cnf',
    '-extensions',
    'root_ext',
    '-out',
    'root.pem',
  );
  openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'leaf.key');
  openssl('req', '-new', '-key', 'leaf.key', '-subj', '/CN=import.example', '-out', 'leaf.csr');
  openssl(
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'root.pem',
    '-CAkey',
    'root.key',
    '-CAcreateserial',
    '-days',
    '365',
    '-extfile',
    'ca.cnf',
    '-extensions',
    'leaf_ext',
    '-out',
    'leaf.pem',
  );
  writeFileSync(
    at('chain.pem'),
    Buffer.concat([readFileSync(at('leaf.pem')), readFileSync(at('root.pem'))]),
  );
  openssl(
    'pkcs12',
    '-export',
    '-inkey',
    'leaf.key',
    '-in',
    'leaf.pem',
    '-certfile',
    'root.pem',
    '-name',
    'import leaf',
    '-passout',
    `pass:${FIXTURE_PASSWORD}`,
    '-out',
    'leaf.p12',
  );
  openssl(
    'ca',
    '-config',
    'ca.cnf',
    '-keyfile',
    'root.key',
    '-cert',
    'root.pem',
    '-revoke',
    'leaf.pem',
  );
  openssl(
    'ca',
    '-config',
    'ca.cnf',
    '-keyfile',
    'root.key',
    '-cert',
    'root.pem',
    '-gencrl',
    '-out',
    'root.crl',
  );

  return {
    dir,
    path: at,
    read: (name) => readFileSync(at(name)),
    fingerprint: (name) =>
      openssl('x509', '-in', name, '-noout', '-fingerprint', '-sha256')
        .split('=')[1]!
        .trim()
        .replace(/:/g, '')
        .toLowerCase(),
    spkiSha256: (name, kind) => {
      const args =
        kind === 'key'
          ? ['pkey', '-in', name, '-pubout']
          : ['x509', '-in', name, '-pubkey', '-noout'];
      const pem = openssl(...args);
      const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'DER'], { input: pem });
      return execFileSync('openssl', ['dgst', '-sha256', '-r'], { input: der })
        .toString()
        .split(' ')[0]!;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
