import { execFileSync } from 'node:child_process';
import { createPublicKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyAlgorithm, SignatureAlgorithm } from '../../../shared/algorithms';
import { MazeVaultError } from '../../../shared/errors';
import type { KeyRecord } from '../../keys/records';
import { createServices, type Services } from '../../services';
import { Vault } from '../../vault/vault';
import { createSoftHsmHome, pkcs11Tool, SOFTHSM_MODULE, type SoftHsmHome } from './testing/softhsm';

const PIN = '246810';
let home: SoftHsmHome;
let work: string;
let vault: Vault;
let services: Services;
let serial: string;

beforeAll(async () => {
  home = createSoftHsmHome();
  serial = home.initToken('CA Token', { user: PIN });
  work = mkdtempSync(join(tmpdir(), 'mazevault-pkcs11-'));
  vault = await Vault.create(join(work, 'vault.db'), 'correct horse battery staple', {
    kdfCost: 'test-only',
  });
  services = createServices(vault);
  await services.pkcs11.saveProfile({
    name: 'softhsm',
    preset: 'softhsm2',
    modulePath: SOFTHSM_MODULE,
  });
  await services.pkcs11.login('softhsm', serial, PIN);
});

afterAll(async () => {
  await services?.pkcs11.close();
  vault?.close();
  rmSync(work, { recursive: true, force: true });
  home?.cleanup();
});

async function rejection(promise: Promise<unknown>): Promise<MazeVaultError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MazeVaultError);
  return error as MazeVaultError;
}

function generate(algorithm: KeyAlgorithm, label: string): Promise<KeyRecord> {
  return services.keys.generate({
    algorithm,
    label,
    provider: 'pkcs11',
    providerOptions: { profile: 'softhsm', tokenLabel: 'CA Token' },
  });
}

function writePublicKey(key: KeyRecord, name: string): string {
  const path = join(work, `${name}.pem`);
  writeFileSync(
    path,
    createPublicKey({ key: key.publicKey, format: 'der', type: 'spki' }).export({
      format: 'pem',
      type: 'spki',
    }),
  );
  return path;
}

/** Verifies with the openssl CLI, never with our own code. */
function opensslVerifies(
  key: KeyRecord,
  algorithm: SignatureAlgorithm,
  data: Buffer,
  signature: Buffer,
): boolean {
  const name = `${key.id}-${algorithm}`;
  const pub = writePublicKey(key, name);
  const dataPath = join(work, `${name}.data`);
  const sigPath = join(work, `${name}.sig`);
  writeFileSync(dataPath, data);
  writeFileSync(sigPath, signature);
  const args =
    algorithm === 'ed25519'
      ? [
          'pkeyutl',
          '-verify',
          '-pubin',
          '-inkey',
          pub,
          '-rawin',
          '-in',
          dataPath,
          '-sigfile',
          sigPath,
        ]
      : [
          'dgst',
          `-${algorithm.slice(algorithm.lastIndexOf('-') + 1)}`,
          '-verify',
          pub,
          '-signature',
          sigPath,
          ...(algorithm.startsWith('rsa-pss-')
            ? [
                '-sigopt',
                'rsa_padding_mode:pss',
                '-sigopt',
                `rsa_pss_saltlen:${{ sha256: 32, sha384: 48, sha512: 64 }[algorithm.slice(8) as 'sha256']}`,
              ]
            : []),
          dataPath,
        ];
  try {
    return /Verified OK|Signature Verified Successfully/.test(
      execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    );
  } catch {
    return false;
  }
}

describe('keys on a SoftHSM2 token', () => {
  const cases: [KeyAlgorithm, SignatureAlgorithm[]][] = [
    [
      'rsa-2048',
      [
        'rsa-pkcs1-sha256',
        'rsa-pkcs1-sha384',
        'rsa-pkcs1-sha512',
        'rsa-pss-sha256',
        'rsa-pss-sha384',
        'rsa-pss-sha512',
      ],
    ],
    ['ec-p256', ['ecdsa-sha256', 'ecdsa-sha384']],
    ['ec-p384', ['ecdsa-sha384']],
    ['ec-p521', ['ecdsa-sha512']],
    ['ed25519', ['ed25519']],
  ];

  it.each(cases)(
    'generates a %s key on the token whose signatures openssl verifies',
    async (algorithm, signatures) => {
      const key = await generate(algorithm, `sign test ${algorithm}`);
      expect(key.provider).toBe('pkcs11');
      expect(key.providerRef).toMatchObject({ tokenSerial: serial, spkiSha256: key.spkiSha256 });
      expect(key.providerRef.ckaId).toMatch(/^[0-9a-f]{32}$/);
      for (const algorithmName of signatures) {
        const data = Buffer.from(`tbs for ${algorithmName} ${Date.now()}`);
        const signature = await services.keys.sign(key.id, algorithmName, data, 'test');
        expect(opensslVerifies(key, algorithmName, data, signature), algorithmName).toBe(true);
        expect(
          opensslVerifies(key, algorithmName, Buffer.concat([data, Buffer.from('x')]), signature),
        ).toBe(false);
      }
    },
  );

  it('keeps the private key sensitive and never extractable, as pkcs11-tool reports', async () => {
    const key = await generate('ec-p256', 'attribute check');
    const listing = pkcs11Tool(home, [
      '--login',
      '--pin',
      PIN,
      '--token-label',
      'CA Token',
      '--list-objects',
      '--type',
      'privkey',
      '--id',
      String(key.providerRef.ckaId),
    ]);
    expect(listing).toMatch(/Private Key Object; EC/);
    expect(listing).toMatch(/Access:\s+sensitive, always sensitive, never extractable, local/);
    expect(listing).toMatch(/Usage:\s+sign\s*$/m);
    expect(listing).toContain('label:      attribute check');
  });

  it('refuses a label that already exists on the token', async () => {
    await generate('ec-p256', 'taken label');
    const error = await rejection(generate('ec-p256', 'taken label'));
    expect(error.code).toBe('DUPLICATE');
  });

  it('reads the same public key back from the token', async () => {
    const key = await generate('ec-p384', 'read back');
    const provider = services.providers.get('pkcs11');
    expect((await provider.publicKey(key.providerRef)).equals(key.publicKey)).toBe(true);
  });

  it('destroys the objects on the token when the key is destroyed, and audits it with serial and id', async () => {
    const key = await generate('ec-p256', 'to be destroyed');
    const ckaId = String(key.providerRef.ckaId);
    await services.keys.transition(key.id, 'deactivated', 'ceremony test');
    await services.keys.transition(key.id, 'destroyed', 'ceremony test');
    const listing = pkcs11Tool(home, [
      '--login',
      '--pin',
      PIN,
      '--token-label',
      'CA Token',
      '--list-objects',
    ]);
    expect(listing).not.toContain(ckaId);
    const events = vault.db
      .prepare("SELECT subject, outcome FROM audit_events WHERE action = 'token.destroy'")
      .all();
    expect(events).toContainEqual({ subject: `pkcs11:${serial}/${ckaId}`, outcome: 'success' });
  });

  it('audits each signature with the token serial and object id', async () => {
    const key = await generate('ec-p256', 'audited signer');
    await services.keys.sign(key.id, 'ecdsa-sha256', Buffer.from('x'), 'test');
    const row = vault.db
      .prepare(
        "SELECT details FROM audit_events WHERE action = 'token.sign' AND subject = ? ORDER BY seq DESC",
      )
      .get(`pkcs11:${serial}/${key.providerRef.ckaId}`) as { details: string };
    expect(JSON.parse(row.details)).toMatchObject({
      algorithm: 'ecdsa-sha256',
      mechanism: 'CKM_ECDSA',
    });
    expect(row.details).not.toContain(PIN);
  });
});

describe('keys made by other tools', () => {
  it('discovers a key made by pkcs11-tool and adds it to the inventory', async () => {
    pkcs11Tool(home, [
      '--login',
      '--pin',
      PIN,
      '--token-label',
      'CA Token',
      '--keypairgen',
      '--key-type',
      'EC:secp384r1',
      '--id',
      'a1a1',
      '--label',
      'made elsewhere',
    ]);
    const found = await services.pkcs11.discoverKeys('softhsm', serial);
    const key = found.find((k) => k.ckaId === 'a1a1');
    expect(key).toMatchObject({
      label: 'made elsewhere',
      algorithm: 'ec-p384',
      publicKeySource: 'public-key-object',
    });
    expect(key?.inventoryKeyId).toBeUndefined();

    const added = await services.pkcs11.importKeys('softhsm', serial, ['a1a1']);
    expect(added).toHaveLength(1);
    const signature = await services.keys.sign(
      added[0]!.id,
      'ecdsa-sha384',
      Buffer.from('hello'),
      'test',
    );
    expect(opensslVerifies(added[0]!, 'ecdsa-sha384', Buffer.from('hello'), signature)).toBe(true);
    expect(await services.pkcs11.importKeys('softhsm', serial, ['a1a1'])).toHaveLength(0);
  });

  it('uses an RSA private key without a public key object through its own modulus and exponent', async () => {
    pkcs11Tool(home, [
      '--login',
      '--pin',
      PIN,
      '--token-label',
      'CA Token',
      '--keypairgen',
      '--key-type',
      'rsa:2048',
      '--id',
      'b2b2',
      '--label',
      'lonely rsa',
    ]);
    pkcs11Tool(home, [
      '--login',
      '--pin',
      PIN,
      '--token-label',
      'CA Token',
      '--delete-object',
      '--type',
      'pubkey',
      '--id',
      'b2b2',
    ]);
    const key = (await services.pkcs11.discoverKeys('softhsm', serial)).find(
      (k) => k.ckaId === 'b2b2',
    );
    expect(key).toMatchObject({ algorithm: 'rsa-2048', publicKeySource: 'private-key-attributes' });
    const [record] = await services.pkcs11.importKeys('softhsm', serial, ['b2b2']);
    const signature = await services.keys.sign(
      record!.id,
      'rsa-pkcs1-sha256',
      Buffer.from('tbs'),
      'test',
    );
    expect(opensslVerifies(record!, 'rsa-pkcs1-sha256', Buffer.from('tbs'), signature)).toBe(true);
  });

  it('refuses to sign when the key under the recorded id is not the recorded key', async () => {
    const key = await generate('ec-p256', 'swapped');
    const forged = { ...key.providerRef, spkiSha256: '00'.repeat(32) };
    const error = await rejection(
      services.providers.get('pkcs11').sign(forged, 'ecdsa-sha256', Buffer.from('x')),
    );
    expect(error.code).toBe('NOT_FOUND');
  });
});

describe('a key ceremony with the root key on the token', () => {
  it('makes a root CA and a subordinate on the token that openssl verify accepts, and stores the root next to its key', async () => {
    const placement = { profile: 'softhsm', tokenSerial: serial };
    const root = await services.issuance.createRoot({
      subject: 'CN=HSM Root CA,O=MazeVault Test,C=DE',
      key: {
        algorithm: 'ec-p384',
        provider: 'pkcs11',
        providerOptions: placement,
        label: 'HSM Root CA key',
      },
      validity: { years: 20 },
      pathLen: 1,
    });
    const sub = await services.issuance.issueSubordinate({
      issuerCertId: root.certificate.id,
      subject: 'CN=HSM Issuing CA,O=MazeVault Test,C=DE',
      key: {
        algorithm: 'rsa-3072',
        provider: 'pkcs11',
        providerOptions: placement,
        label: 'HSM Issuing CA key',
      },
      validity: { years: 5 },
    });
    expect(root.key.provider).toBe('pkcs11');
    expect(sub.key.provider).toBe('pkcs11');

    const rootPem = join(work, 'root.pem');
    const subPem = join(work, 'sub.pem');
    writeFileSync(
      rootPem,
      new X509Certificate(services.certificates.der(root.certificate.id)).toString(),
    );
    writeFileSync(
      subPem,
      new X509Certificate(services.certificates.der(sub.certificate.id)).toString(),
    );
    const verify = execFileSync('openssl', ['verify', '-x509_strict', '-CAfile', rootPem, subPem], {
      encoding: 'utf8',
    });
    expect(verify.trim()).toBe(`${subPem}: OK`);

    await services.pkcs11.writeCertificate(
      root.key.id,
      services.certificates.der(root.certificate.id),
    );
    const listing = pkcs11Tool(home, [
      '--token-label',
      'CA Token',
      '--list-objects',
      '--type',
      'cert',
    ]);
    expect(listing).toContain('subject:    DN: C=DE, O=MazeVault Test, CN=HSM Root CA');
    expect(listing).toContain(`ID:         ${root.key.providerRef.ckaId}`);
  });
});

describe('renewal of a certificate whose key is on the token', () => {
  it('makes the Regenerate successor key on the same token, not in the vault', async () => {
    const { certificate: root } = await services.issuance.createRoot({
      subject: 'CN=Renewal Root,O=Token',
      key: { algorithm: 'ec-p256' },
      validity: { years: 10 },
    });
    const { certificate: leaf, key } = await services.issuance.issueEndEntity({
      issuerCertId: root.id,
      profile: 'tls-client',
      subject: 'CN=token-client',
      sans: [],
      key: {
        algorithm: 'ec-p256',
        provider: 'pkcs11',
        providerOptions: { profile: 'softhsm', tokenLabel: 'CA Token' },
      },
      validity: { days: 90 },
    });
    const renewal = await services.renewal.renew(leaf.id, { keyPolicy: 'regenerate' });
    const renewed = { key: renewal.key! };
    expect(renewed.key.id).not.toBe(key!.id);
    expect(renewed.key.provider).toBe('pkcs11');
    expect(renewed.key.providerRef).toMatchObject({ tokenSerial: serial });
    const objects = pkcs11Tool(home, [
      '--token-label',
      'CA Token',
      '--login',
      '--pin',
      PIN,
      '--list-objects',
      '--type',
      'privkey',
    ]);
    expect(objects).toContain(String(renewed.key.providerRef.ckaId));
  });
});

describe('the session', () => {
  it('logs out of the token when the vault locks', async () => {
    expect(await services.pkcs11.isLoggedIn('softhsm', serial)).toBe(true);
    vault.lock();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await services.pkcs11.isLoggedIn('softhsm', serial)).toBe(false);
    await vault.unlock('correct horse battery staple');
    const key = services.keys
      .list({ provider: 'pkcs11', state: 'active' })
      .find((k) => k.algorithm === 'ec-p256')!;
    const error = await rejection(
      services.keys.sign(key.id, 'ecdsa-sha256', Buffer.from('x'), 'test'),
    );
    expect(error.code).toBe('TOKEN_ERROR');
    expect(error.message).toMatch(/log in/);
    await services.pkcs11.login('softhsm', serial, PIN);
  });

  it('says WRONG_PIN for a wrong PIN and never stores the PIN it was given', async () => {
    const error = await rejection(services.pkcs11.login('softhsm', serial, '000000'));
    expect(error.code).toBe('WRONG_PIN');
    const rows = vault.db
      .prepare("SELECT details FROM audit_events WHERE action = 'token.login'")
      .all() as { details: string }[];
    expect(rows.some((r) => r.details.includes('000000') || r.details.includes(PIN))).toBe(false);
  });

  it('remembers a PIN sealed in the vault only when asked, and logs in with it later', async () => {
    await services.pkcs11.login('softhsm', serial, PIN, { remember: true });
    const row = vault.db
      .prepare('SELECT ciphertext FROM secrets WHERE owner_table = ?')
      .get('pkcs11_profiles') as { ciphertext: Buffer };
    expect(row.ciphertext.includes(Buffer.from(PIN))).toBe(false);
    await services.pkcs11.logout('softhsm', serial);
    expect(await services.pkcs11.loginWithRememberedPin('softhsm', serial)).toBe(true);
    expect(await services.pkcs11.isLoggedIn('softhsm', serial)).toBe(true);
  });

  it('initialises a token only with an explicit confirmation', async () => {
    const slots = await services.pkcs11.listSlots('softhsm');
    const blank = slots.find((s) => s.tokenPresent && !s.token?.flags.tokenInitialized)!;
    const init = { soPin: '11223344', label: 'Fresh', userPin: '5566' };
    const refused = await rejection(
      services.pkcs11.initToken('softhsm', { slotId: blank.slotId }, { ...init, confirm: false }),
    );
    expect(refused.code).toBe('CONFIRMATION_REQUIRED');
    const token = await services.pkcs11.initToken(
      'softhsm',
      { slotId: blank.slotId },
      { ...init, confirm: true },
    );
    expect(token).toMatchObject({ label: 'Fresh' });
    expect(token.flags.userPinInitialized).toBe(true);
    await services.pkcs11.login('softhsm', token.serial, '5566');
  });
});
