import { afterAll, describe, expect, it } from 'vitest';

import { encode, type ExportInput } from './encode';
import {
  corpusCertificate,
  KEYS,
  pemBody,
  run,
  sha256Fingerprint,
  Workdir,
} from './encode-test-fixtures';

const work = new Workdir();
afterAll(() => work.remove());

const PASSWORD = 'Access 2026';
/** OpenSSL takes any UTF-8 password; the JDK refuses PKCS#12 passwords beyond ASCII. */
const NON_ASCII_PASSWORD = 'Přístup 2026';

/** The PEM blocks of `openssl pkcs12 -info -nodes` output, by label, in order. */
function blocks(output: string, label: 'PRIVATE KEY' | 'CERTIFICATE'): Buffer[] {
  const pattern = new RegExp(`-----BEGIN ${label}-----[^-]+-----END ${label}-----`, 'g');
  return (output.match(pattern) ?? []).map(pemBody);
}

function openWithOpenssl(path: string, password: string) {
  return run('openssl', ['pkcs12', '-in', path, '-info', '-nodes', '-passin', `pass:${password}`]);
}

const PROFILES = [
  {
    format: 'p12',
    mac: 'MAC: sha256, Iteration 2048',
    bags: 'PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256',
  },
  {
    format: 'p12-legacy',
    mac: 'MAC: sha1, Iteration 2048',
    bags: 'pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048',
  },
] as const;

describe.each(PROFILES)('PKCS#12 export, $format profile', ({ format, mac, bags }) => {
  it.each(Object.entries(KEYS))(
    'writes an %s key with its chain that openssl pkcs12 opens',
    async (name, fixture) => {
      const key = fixture.key();
      const chain = fixture.chain();
      const input: ExportInput = {
        privateKeys: [{ pkcs8: key }],
        certificates: chain.map((der) => ({ der })),
      };
      const path = work.file(
        `${format}-${name}.p12`,
        await encode(format, input, { password: PASSWORD, iterations: 2048 }),
      );

      const result = openWithOpenssl(path, PASSWORD);
      expect(result.status).toBe(0);
      expect(result.stderr).toContain(mac);
      expect(result.stderr).toContain(`Shrouded Keybag: ${bags}`);
      expect(result.stderr).toContain(`PKCS7 Encrypted data: ${bags}`);
      expect(blocks(result.stdout, 'PRIVATE KEY')).toEqual([key]);
      expect(blocks(result.stdout, 'CERTIFICATE').map(sha256Fingerprint)).toEqual(
        chain.map(sha256Fingerprint),
      );
    },
  );

  it('names the key and its certificate with the same friendly name and localKeyId', async () => {
    const input: ExportInput = {
      privateKeys: [{ pkcs8: KEYS.ec.key() }],
      certificates: [{ der: KEYS.ec.chain()[0]! }],
    };
    const options = { password: PASSWORD, iterations: 2048, friendlyName: 'Root CA 2026' };
    const result = openWithOpenssl(
      work.file(`${format}-named.p12`, await encode(format, input, options)),
      PASSWORD,
    );
    expect(result.stdout.match(/friendlyName: Root CA 2026/g)).toHaveLength(2);
    const ids = [...result.stdout.matchAll(/localKeyID: ([0-9A-F ]+)/g)].map((match) => match[1]);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });

  it('encodes a non-ASCII password as openssl does, so it opens with that password', async () => {
    const input: ExportInput = {
      privateKeys: [{ pkcs8: KEYS.ec.key() }],
      certificates: [{ der: KEYS.ec.chain()[0]! }],
    };
    const options = { password: NON_ASCII_PASSWORD, iterations: 2048 };
    const result = openWithOpenssl(
      work.file(`${format}-utf8.p12`, await encode(format, input, options)),
      NON_ASCII_PASSWORD,
    );
    expect(result.status).toBe(0);
    expect(blocks(result.stdout, 'PRIVATE KEY')).toEqual([KEYS.ec.key()]);
  });

  it('is refused by openssl with a wrong password, because the MAC does not verify', async () => {
    const input: ExportInput = {
      privateKeys: [{ pkcs8: KEYS.ed25519.key() }],
      certificates: [{ der: KEYS.ed25519.chain()[0]! }],
    };
    const path = work.file(
      `${format}-wrong.p12`,
      await encode(format, input, { password: PASSWORD, iterations: 2048 }),
    );
    const result = openWithOpenssl(path, 'not the password');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/Mac verify error/);
  });

  it('is listed by keytool with each key entry, its chain, and a trusted certificate', async () => {
    const input: ExportInput = {
      privateKeys: [
        { pkcs8: KEYS.rsa.key(), chain: KEYS.rsa.chain(), alias: 'web-server' },
        { pkcs8: KEYS.ec.key(), chain: KEYS.ec.chain(), alias: 'root-ca' },
        { pkcs8: KEYS.ed25519.key(), chain: KEYS.ed25519.chain(), alias: 'signer' },
      ],
      certificates: [{ der: corpusCertificate('utf8-subject.pem'), alias: 'partner' }],
    };
    const path = work.file(
      `${format}-java.p12`,
      await encode(format, input, { password: PASSWORD, iterations: 2048 }),
    );
    const result = run('keytool', [
      '-list',
      '-v',
      '-storetype',
      'PKCS12',
      '-keystore',
      path,
      '-storepass',
      PASSWORD,
    ]);
    expect(result.status).toBe(0);
    const entries = [
      ...result.stdout.matchAll(
        /Alias name: (.+)\n(?:.*\n)?Entry type: (\w+)(?:\nCertificate chain length: (\d+))?/g,
      ),
    ];
    expect(entries.map(([, alias, type, length]) => [alias, type, length]).sort()).toEqual([
      ['partner', 'trustedCertEntry', undefined],
      ['root-ca', 'PrivateKeyEntry', '1'],
      ['signer', 'PrivateKeyEntry', '1'],
      ['web-server', 'PrivateKeyEntry', '3'],
    ]);
  });
});

describe('PKCS#12 defaults and refusals', () => {
  const input: ExportInput = {
    privateKeys: [{ pkcs8: KEYS.ec.key() }],
    certificates: [{ der: KEYS.ec.chain()[0]! }],
  };

  it('uses 600000 iterations for the bags and the MAC by default', async () => {
    const result = openWithOpenssl(
      work.file('default.p12', await encode('p12', input, { password: PASSWORD })),
      PASSWORD,
    );
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('MAC: sha256, Iteration 600000');
    expect(result.stderr).toContain(
      'Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 600000',
    );
  });

  it('refuses an empty password unless explicitly allowed, and then openssl opens it', async () => {
    await expect(encode('p12', input, { password: '' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: /empty/,
    });
    await expect(encode('p12', input)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: /password/,
    });
    const allowed = await encode('p12', input, {
      password: '',
      allowEmptyPassword: true,
      iterations: 2048,
    });
    const result = openWithOpenssl(work.file('empty.p12', allowed), '');
    expect(result.status).toBe(0);
    expect(blocks(result.stdout, 'PRIVATE KEY')).toEqual([KEYS.ec.key()]);
  });

  it('refuses a key whose certificate is not among those exported', async () => {
    const orphan: ExportInput = {
      privateKeys: [{ pkcs8: KEYS.rsa.key() }],
      certificates: [{ der: KEYS.ec.chain()[0]! }],
    };
    await expect(encode('p12', orphan, { password: PASSWORD })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: /No certificate among those exported holds the public key/,
    });
  });

  it('refuses a chain whose first certificate belongs to another key', async () => {
    const mismatched: ExportInput = {
      privateKeys: [{ pkcs8: KEYS.rsa.key(), chain: KEYS.ec.chain() }],
    };
    await expect(encode('p12', mismatched, { password: PASSWORD })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: /does not belong to that key/,
    });
  });
});
