import { afterAll, describe, expect, it } from 'vitest';

import { encode, type ExportInput } from './encode';
import { corpusCertificate, KEYS, pemBody, run, Workdir } from './encode-test-fixtures';

const work = new Workdir();
afterAll(() => work.remove());

const STORE_PASSWORD = 'store-pass-2026';
const KEY_PASSWORDS = { 'Root-CA': 'root-key-pass', signer: 'signer-key-pass' };

const input: ExportInput = {
  privateKeys: [
    { pkcs8: KEYS.rsa.key(), chain: KEYS.rsa.chain(), alias: 'web-server' },
    { pkcs8: KEYS.ec.key(), chain: KEYS.ec.chain(), alias: 'Root-CA' },
    { pkcs8: KEYS.ed25519.key(), chain: KEYS.ed25519.chain(), alias: 'signer' },
  ],
  certificates: [{ der: corpusCertificate('utf8-subject.pem'), alias: 'partner' }],
};

const ENTRIES = [
  { alias: 'web-server', key: KEYS.rsa.key(), keyPassword: STORE_PASSWORD },
  { alias: 'root-ca', key: KEYS.ec.key(), keyPassword: KEY_PASSWORDS['Root-CA'] },
  { alias: 'signer', key: KEYS.ed25519.key(), keyPassword: KEY_PASSWORDS.signer },
];

describe.each(['jks', 'jceks'] as const)('%s export', (format) => {
  const created = new Date('2026-12-05T10:00:00Z');
  // Only JCEKS has a KDF; fewer rounds than the JDK's 200,000 keep the suite quick.
  const iterations = format === 'jceks' ? { iterations: 20_000 } : {};

  it('is listed by keytool with key entries, their chains and a trusted certificate', async () => {
    const options = {
      password: STORE_PASSWORD,
      keyPasswords: KEY_PASSWORDS,
      created,
      ...iterations,
    };
    const path = work.file(`store.${format}`, await encode(format, input, options));
    const result = run('keytool', ['-list', '-v', '-keystore', path, '-storepass', STORE_PASSWORD]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Keystore type: ${format.toUpperCase()}`);
    const entries = [
      ...result.stdout.matchAll(
        new RegExp(
          'Alias name: (.+)\nCreation date: (.+)\nEntry type: (\\w+)' +
            '(?:\nCertificate chain length: (\\d+))?',
          'g',
        ),
      ),
    ];
    expect(
      entries.map(([, alias, date, type, length]) => [alias, date, type, length]).sort(),
    ).toEqual([
      ['partner', 'Dec 5, 2026', 'trustedCertEntry', undefined],
      ['root-ca', 'Dec 5, 2026', 'PrivateKeyEntry', '1'],
      ['signer', 'Dec 5, 2026', 'PrivateKeyEntry', '1'],
      ['web-server', 'Dec 5, 2026', 'PrivateKeyEntry', '3'],
    ]);
  });

  it('is refused by keytool with a wrong store password: the integrity digest fails', async () => {
    const path = work.file(
      `integrity.${format}`,
      await encode(format, input, { password: STORE_PASSWORD, ...iterations }),
    );
    const result = run('keytool', ['-list', '-keystore', path, '-storepass', 'wrong-pass']);
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/password was incorrect/);
  });

  it.each(ENTRIES)(
    'lets keytool recover the $alias key with its own key password',
    async ({ alias, key, keyPassword }) => {
      const options = { password: STORE_PASSWORD, keyPasswords: KEY_PASSWORDS, ...iterations };
      const source = work.file(`${alias}-source.${format}`, await encode(format, input, options));
      const target = work.file(`${alias}-${format}.p12`);
      const imported = run('keytool', [
        '-importkeystore',
        '-noprompt',
        '-srckeystore',
        source,
        '-srcstoretype',
        format,
        '-srcstorepass',
        STORE_PASSWORD,
        '-srcalias',
        alias,
        '-srckeypass',
        keyPassword,
        '-destkeystore',
        target,
        '-deststoretype',
        'PKCS12',
        '-deststorepass',
        'target-pass',
      ]);
      expect(imported.status).toBe(0);

      const opened = run('openssl', [
        'pkcs12',
        '-in',
        target,
        '-nodes',
        '-nocerts',
        '-passin',
        'pass:target-pass',
      ]);
      expect(opened.status).toBe(0);
      expect(pemBody(opened.stdout.slice(opened.stdout.indexOf('-----BEGIN'))).equals(key)).toBe(
        true,
      );
    },
  );
});

describe('Java keystore refusals', () => {
  it('refuses a JCEKS key password beyond printable ASCII, which the JDK cannot read', async () => {
    const attempt = encode('jceks', input, {
      password: STORE_PASSWORD,
      keyPasswords: { signer: 'podpis-č' },
    });
    await expect(attempt).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: /printable ASCII/,
    });
  });

  it('refuses two entries whose aliases differ only in case', async () => {
    const clash: ExportInput = {
      certificates: [
        { der: corpusCertificate('int.pem'), alias: 'CA' },
        { der: corpusCertificate('root.pem'), alias: 'ca' },
      ],
    };
    await expect(encode('jks', clash, { password: STORE_PASSWORD })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: /Two entries would be named/,
    });
  });
});

describe('aliases in modified UTF-8', () => {
  it('reads back non-ASCII and non-BMP aliases exactly, as keytool lists them', async () => {
    const { decodeJks } = await import('./decode-jks');
    const alias = 'zürich-🔑-ca';
    const store = await encode(
      'jks',
      { privateKeys: [], certificates: [{ der: corpusCertificate('utf8-subject.pem'), alias }] },
      { password: STORE_PASSWORD },
    );
    // keytool writes lower-cased aliases; ours are lower case already.
    const bundle = await decodeJks(store, { password: STORE_PASSWORD });
    expect(bundle.certificates.map((certificate) => certificate.alias)).toEqual([alias]);

    const path = work.file('utf.jks', store);
    const listed = run('keytool', ['-list', '-v', '-keystore', path, '-storepass', STORE_PASSWORD]);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain(`Alias name: ${alias}`);
  });
});
