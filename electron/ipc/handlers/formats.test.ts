// The import, inspect, validate and export channels of issue #3 through the real IPC router, over
// a real vault, with the shared corpus (made by OpenSSL and keytool) and files OpenSSL makes here.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  FileInspectionDto,
  FilePreviewDto,
  ImportResultDto,
  ValidationResultDto,
} from '../../../shared/bridge/formats-dto';
import type { ExportResult } from '../../../shared/contract';
import { decode } from '../../formats/decode';
import { corpusPath } from '../../testing/corpus';
import { TEST_PASSPHRASE, tempDir } from '../../testing/temp';
import { AppContext, type ChooseFilesRequest } from '../context';
import { createIpcRouter, type IpcRouter, type RouterResult } from '../router';

const INTEROP = (name: string) => corpusPath('interop', name);
/** The corpus files were made on 2026-12-04; validation is pinned to the day after. */
const CORPUS_DAY = '2026-12-05T00:00:00Z';
const LEAF_SHA256 = 'b972e6a75fad7e991534ff500ca6be2aaf70e6f9906c484b37c3d453ead3661f';

interface Setup {
  dir: string;
  context: AppContext;
  router: IpcRouter;
  progress: { channel: string; stage: string; message: string }[];
  dialogRequests: ChooseFilesRequest[];
  call(channel: string, request?: unknown): Promise<RouterResult>;
  value<T>(channel: string, request?: unknown): Promise<T>;
}

let cleanups: (() => void)[] = [];
let onProgress: ((event: { channel: string; message: string }) => void) | undefined;

async function setUp(): Promise<Setup> {
  const dir = tempDir('mazevault-formats-');
  const progress: Setup['progress'] = [];
  const dialogRequests: ChooseFilesRequest[] = [];
  const context = new AppContext({
    emit: (event, payload) => {
      if (event !== 'progress') return;
      const { channel, stage, message } = payload as Setup['progress'][number];
      progress.push({ channel, stage, message });
      onProgress?.({ channel, message });
    },
    defaultDirectory: dir.path,
    version: '0.0.0-test',
    actor: 'test-officer',
    kdfCost: 'test-only',
    chooseFiles: async (request) => {
      dialogRequests.push(request);
      return [INTEROP('leaf.pem'), INTEROP('int.pem')];
    },
    log: { warn: () => undefined, error: () => undefined },
  });
  cleanups.push(() => {
    context.close();
    dir.cleanup();
  });
  const router = createIpcRouter(context);
  const call = (channel: string, request?: unknown) => router.handle(channel, request);
  const value = async <T>(channel: string, request?: unknown): Promise<T> => {
    const answer = await call(channel, request);
    if (!answer.ok) throw new Error(`${channel}: ${answer.error.code} ${answer.error.message}`);
    return answer.value as T;
  };
  await value('vault:create', { path: join(dir.path, 'formats.mzv'), passphrase: TEST_PASSPHRASE });
  return { dir: dir.path, context, router, progress, dialogRequests, call, value };
}

const path = (file: string) => ({ kind: 'path', path: file });

beforeEach(() => {
  cleanups = [];
  onProgress = undefined;
});

afterEach(() => {
  for (const cleanup of cleanups.reverse()) cleanup();
});

describe('import:preview', () => {
  it('asks for the PKCS#12 password, says when it is wrong, then shows the contents', async () => {
    const t = await setUp();
    const p12 = path(INTEROP('leaf-openssl3-default.p12'));

    const none = await t.value<{ files: FilePreviewDto[] }>('import:preview', {
      files: [{ source: p12 }],
    });
    expect(none.files[0]).toMatchObject({
      name: 'leaf-openssl3-default.p12',
      format: 'pkcs12',
      status: 'password',
      passwordTarget: { kind: 'file' },
      passwordAttempted: false,
    });

    const wrong = await t.value<{ files: FilePreviewDto[] }>('import:preview', {
      files: [{ source: p12, password: 'not-the-password' }],
    });
    expect(wrong.files[0]).toMatchObject({ status: 'password', passwordAttempted: true });
    expect(wrong.files[0]!.error).toMatchObject({ code: 'WRONG_PASSWORD' });
    expect(wrong.files[0]!.error!.message).toMatch(/password does not open/);

    const right = await t.value<{ files: FilePreviewDto[] }>('import:preview', {
      files: [{ source: p12, password: 'changeit' }],
    });
    const preview = right.files[0]!;
    expect(preview.status).toBe('ready');
    expect(preview.certificates).toHaveLength(3);
    expect(preview.privateKeys).toHaveLength(1);
    expect(preview.privateKeys[0]!.type).toBe('rsa');
    expect(preview.certificates.map((c) => c.sha256)).toContain(LEAF_SHA256);
    expect(preview.certificates.every((c) => c.inVault === undefined)).toBe(true);
  });

  it('never calls an unsupported encryption algorithm a wrong password', async () => {
    const t = await setUp();
    const answer = await t.value<{ files: FilePreviewDto[] }>('import:preview', {
      files: [
        {
          source: path(corpusPath('pyca', 'asymmetric', 'PKCS8', 'bad-encryption-oid.pem')),
          password: 'any password at all',
        },
      ],
    });
    const [preview] = answer.files;
    expect(preview).toMatchObject({ status: 'failed', error: { code: 'UNSUPPORTED' } });
    expect(preview!.passwordAttempted).toBeUndefined();
    expect(preview!.error!.message).not.toMatch(/password does not open/);
    expect(preview!.error!.message).toMatch(/\d+(\.\d+){3,}|algorithm|cipher/i);
  });

  it('reads a dropped file from its bytes and says what is wrong with a damaged one', async () => {
    const t = await setUp();
    const damaged = readFileSync(INTEROP('leaf.der')).subarray(0, 200);
    const answer = await t.value<{ files: FilePreviewDto[] }>('import:preview', {
      files: [
        {
          source: {
            kind: 'bytes',
            name: 'dropped.pem',
            base64: readFileSync(INTEROP('cachain.pem')).toString('base64'),
          },
        },
        { source: { kind: 'bytes', name: 'cut.der', base64: damaged.toString('base64') } },
      ],
    });
    expect(answer.files[0]).toMatchObject({ name: 'dropped.pem', format: 'pem', status: 'ready' });
    expect(answer.files[0]!.certificates).toHaveLength(2);
    expect(answer.files[1]).toMatchObject({ name: 'cut.der', status: 'failed' });
    expect(answer.files[1]!.error!.message.length).toBeGreaterThan(10);
  });

  it('refuses a relative path and says how to give the file', async () => {
    const t = await setUp();
    const answer = await t.call('import:preview', { files: [{ source: path('leaf.pem') }] });
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!answer.ok) expect(answer.error.message).toMatch(/not a full path/);

    const missing = await t.call('import:preview', {
      files: [{ source: path(join(t.dir, 'absent.pem')) }],
    });
    expect(missing).toMatchObject({ ok: false, error: { code: 'IO_ERROR' } });
  });
});

describe('import:commit', () => {
  it('imports a PKCS#12 into the vault, then recognises every entry as already there', async () => {
    const t = await setUp();
    const file = { source: path(INTEROP('leaf-openssl3-default.p12')), password: 'changeit' };

    const first = await t.value<ImportResultDto>('import:commit', {
      importId: 'import-0001',
      mode: 'internal',
      files: [file],
    });
    expect(first.counts).toEqual({ new: 4, existing: 0, skipped: 0, failed: 0 });
    const leaf = first.entries.find((e) => e.fingerprint === LEAF_SHA256)!;
    expect(leaf).toMatchObject({ kind: 'certificate', outcome: 'new' });
    expect(t.progress.some((p) => p.channel === 'import:commit' && p.stage === 'finished')).toBe(
      true,
    );

    const detail = await t.value<{ keyId: string | null }>('certificates:get', { id: leaf.id });
    expect(detail.keyId).not.toBeNull();

    const preview = await t.value<{ files: FilePreviewDto[] }>('import:preview', {
      files: [file],
    });
    expect(preview.files[0]!.certificates.every((c) => c.inVault)).toBe(true);
    expect(preview.files[0]!.privateKeys[0]!.inVault).toBe(detail.keyId);

    const second = await t.value<ImportResultDto>('import:commit', {
      importId: 'import-0002',
      mode: 'internal',
      files: [file],
    });
    expect(second.counts).toMatchObject({ new: 0, existing: 4 });
  });

  it('keeps only the certificates in Remote Storage mode and needs the key location', async () => {
    const t = await setUp();
    const files = [
      { source: path(INTEROP('leaf-pkcs8-plain.pem')) },
      { source: path(INTEROP('chain-leaf-first.pem')) },
    ];

    const refused = await t.call('import:commit', {
      importId: 'import-0003',
      mode: 'remote',
      files,
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!refused.ok) expect(refused.error.message).toMatch(/remoteLocation/);

    const result = await t.value<ImportResultDto>('import:commit', {
      importId: 'import-0004',
      mode: 'remote',
      remoteLocation: 'web01.example.test:/etc/ssl/private/leaf.key',
      files,
    });
    expect(result.mode).toBe('remote');
    expect(result.counts.new).toBe(3);
    const keys = await t.value<{ keys: unknown[] }>('keys:list', {});
    expect(keys.keys).toHaveLength(0);
    const listed = await t.value<{ certificates: { sha256: string; keyId: string | null }[] }>(
      'certificates:list',
      {},
    );
    expect(listed.certificates.find((c) => c.sha256 === LEAF_SHA256)?.keyId).toBeNull();
  });

  it('rolls the whole import back when the window cancels it', async () => {
    const t = await setUp();
    let cancel: Promise<RouterResult> | undefined;
    onProgress = ({ channel, message }) => {
      if (channel === 'import:commit' && message.startsWith('Storing') && !cancel) {
        cancel = t.call('import:cancel', { importId: 'import-cancel-1' });
      }
    };

    const answer = await t.call('import:commit', {
      importId: 'import-cancel-1',
      mode: 'internal',
      files: [
        { source: path(INTEROP('leaf-openssl3-default.p12')), password: 'changeit' },
        { source: path(INTEROP('int.crl.pem')) },
      ],
    });
    expect(await cancel).toEqual({ ok: true, value: { cancelled: true } });
    expect(answer).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    if (!answer.ok) expect(answer.error.message).toMatch(/nothing was imported/);
    const listed = await t.value<{ certificates: unknown[] }>('certificates:list', {});
    expect(listed.certificates).toHaveLength(0);

    const late = await t.value<{ cancelled: boolean }>('import:cancel', {
      importId: 'import-cancel-1',
    });
    expect(late.cancelled).toBe(false);
  });
});

describe('inspect:file', () => {
  it('shows a CRL with its issuer, times, revoked entries, extensions and ASN.1 tree', async () => {
    const t = await setUp();
    const inspection = await t.value<FileInspectionDto>('inspect:file', {
      source: path(INTEROP('int.crl.pem')),
    });
    expect(inspection.format).toBe('pem');
    const [crl] = inspection.objects;
    expect(crl).toMatchObject({ kind: 'crl', revokedCount: 200 });
    expect(crl!.title).toBe('CN=Example Issuing CA 1,O=Example Trust,C=CZ');
    expect(crl!.fields.find((f) => f.name === 'This update')!.value).toMatch(/UTCTime/);
    expect(crl!.revoked[0]!.details.join(' ')).toMatch(/keyCompromise/);
    expect(crl!.extensions.map((e) => e.name)).toEqual(
      expect.arrayContaining([expect.stringMatching(/CRL Number|cRLNumber/i)]),
    );
    expect(crl!.asn1?.tag).toMatch(/SEQUENCE/);
    expect(crl!.asn1?.children).toHaveLength(3);
  });

  it('shows a CSR made by OpenSSL with its subject, key and requested extensions', async () => {
    const t = await setUp();
    const csr = join(t.dir, 'request.csr');
    execFileSync('openssl', [
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      join(t.dir, 'request.key'),
      '-out',
      csr,
      '-subj',
      '/CN=csr.example.test/O=Example Shop',
      '-addext',
      'subjectAltName=DNS:csr.example.test',
      '-addext',
      '1.2.3.4.5=critical,DER:0101FF',
    ]);
    const inspection = await t.value<FileInspectionDto>('inspect:file', { source: path(csr) });
    const [request] = inspection.objects;
    // RFC 4514 writes the last RDN first.
    expect(request).toMatchObject({ kind: 'csr', title: 'O=Example Shop,CN=csr.example.test' });
    expect(request!.fields.find((f) => f.name === 'Public key')!.value).toMatch(/EC.*P-256/);
    const san = request!.extensions.find((e) => e.oid === '2.5.29.17')!;
    expect(san).toMatchObject({ known: true, critical: false });
    expect(san.lines.join()).toContain('csr.example.test');
    expect(request!.extensions.find((e) => e.oid === '1.2.3.4.5')).toMatchObject({
      known: false,
      critical: true,
      hex: '0101ff',
    });
  });

  it('asks for the key store password and flags a wrong one without showing any key', async () => {
    const t = await setUp();
    const source = path(INTEROP('keystore.jks'));
    const locked = await t.value<FileInspectionDto>('inspect:file', { source });
    expect(locked.format).toBe('jks');
    expect(locked.error).toMatchObject({
      code: 'WRONG_PASSWORD',
      passwordTarget: { kind: 'file' },
    });

    const open = await t.value<FileInspectionDto>('inspect:file', { source, password: 'changeit' });
    expect(open.error).toBeUndefined();
    expect(open.objects).toHaveLength(3);
    expect(open.privateKeys).toEqual([
      expect.objectContaining({ type: expect.stringMatching(/rsa/i), bits: 2048 }),
    ]);
    expect(open.objects[0]!.fingerprints!.sha256.replace(/:/g, '').toLowerCase()).toBe(LEAF_SHA256);
  });

  it('inspects a certificate of the vault by its id', async () => {
    const t = await setUp();
    const imported = await t.value<ImportResultDto>('import:commit', {
      importId: 'import-0005',
      mode: 'internal',
      files: [{ source: path(INTEROP('utf8-subject.pem')) }],
    });
    const inspection = await t.value<FileInspectionDto>('inspect:file', {
      source: { kind: 'vault-certificate', id: imported.entries[0]!.id },
    });
    const subject = inspection.objects[0]!.fields.find((f) => f.name === 'Subject')!;
    expect(subject.value).toContain('CN=Šifrovací klíč ÄÖÜ 日本');
    expect(subject.value).toContain('UTF8String');
  });
});

describe('validate:certificate', () => {
  it('validates a file against the vault CAs at a chosen time and names the first failure', async () => {
    const t = await setUp();
    await t.value('import:commit', {
      importId: 'import-0006',
      mode: 'internal',
      trustAnchors: true,
      files: [{ source: path(INTEROP('cachain.pem')) }],
    });

    const valid = await t.value<ValidationResultDto>('validate:certificate', {
      source: path(INTEROP('leaf.pem')),
      at: CORPUS_DAY,
      purpose: 'server-auth',
    });
    expect(valid).toMatchObject({ valid: true, firstFailure: null, firstFailureIndex: null });
    expect(valid.chain.map((c) => c.subject)).toEqual([
      expect.stringContaining('www.example.test'),
      expect.stringContaining('Example Issuing CA 1'),
      expect.stringContaining('Example Root CA R1'),
    ]);
    expect(valid.used.anchors).toBe(1);
    expect(valid.anchor?.source).toMatch(/^marked trusted in this vault by an officer/);
    expect(valid.checks.length).toBeGreaterThan(5);

    const later = await t.value<ValidationResultDto>('validate:certificate', {
      source: path(INTEROP('leaf.pem')),
      at: '2035-01-01T00:00:00Z',
      purpose: 'server-auth',
    });
    expect(later.valid).toBe(false);
    expect(later.firstFailureIndex).not.toBeNull();
    expect(later.checks[later.firstFailureIndex!]!.ok).toBe(false);
    expect(later.firstFailure).toMatch(/expired|not after|validity/i);

    const wrongPurpose = await t.value<ValidationResultDto>('validate:certificate', {
      source: path(INTEROP('leaf.pem')),
      at: CORPUS_DAY,
      purpose: 'code-signing',
    });
    expect(wrongPurpose.valid).toBe(false);
  });
});

describe('export channels', () => {
  it('writes a JKS with its own key password that keytool lists and our decoder opens', async () => {
    const t = await setUp();
    const imported = await t.value<ImportResultDto>('import:commit', {
      importId: 'import-0007',
      mode: 'internal',
      files: [{ source: path(INTEROP('leaf-openssl3-default.p12')), password: 'changeit' }],
    });
    const leaf = imported.entries.find((e) => e.fingerprint === LEAF_SHA256)!;
    const destination = join(t.dir, 'leaf.jks');
    const request = {
      certId: leaf.id,
      format: 'jks',
      storePassword: 'store-pass-1',
      keyPassword: 'key-pass-22',
      alias: 'Shop Server',
      destination,
    };

    const unconfirmed = await t.call('export:keystore', request);
    expect(unconfirmed).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED' } });

    const result = await t.value<ExportResult>('export:keystore', { ...request, confirmed: true });
    expect(result).toMatchObject({ format: 'jks', withKey: true, destination });

    const listed = spawnSync(
      'keytool',
      ['-list', '-v', '-keystore', destination, '-storetype', 'JKS', '-storepass', 'store-pass-1'],
      { encoding: 'utf8' },
    );
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(/Alias name: shop server/);
    expect(listed.stdout).toMatch(/Entry type: PrivateKeyEntry/);
    expect(listed.stdout).toMatch(/Certificate chain length: 3/);

    const bytes = readFileSync(destination);
    await expect(decode(bytes, { password: 'store-pass-1' })).rejects.toMatchObject({
      code: 'WRONG_PASSWORD',
    });
    const opened = await decode(bytes, {
      password: 'store-pass-1',
      keyPasswords: { 'shop server': 'key-pass-22' },
    });
    expect(opened.privateKeys).toHaveLength(1);

    const again = await t.call('export:keystore', { ...request, confirmed: true });
    expect(again).toMatchObject({ ok: false, error: { code: 'IO_ERROR' } });
  });

  it('writes a new CSR signed by the vault key and the latest CRL of a CA, as openssl reads them', async () => {
    const t = await setUp();
    const root = await t.value<{ certificate: { id: string } }>('ca:create-root', {
      subject: 'CN=Formats Test Root',
      key: { kind: 'new', algorithm: 'ec-p256' },
      validity: { years: 10 },
    });
    const rootId = root.certificate.id;

    const noCrl = await t.call('export:crl', {
      certId: rootId,
      destination: join(t.dir, 'root.crl'),
    });
    expect(noCrl).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await t.context.unlockedServices().crls.issue(rootId);
    const crl = await t.value<{ destination: string; format: string }>('export:crl', {
      certId: rootId,
      destination: join(t.dir, 'root.crl'),
    });
    expect(crl.format).toBe('crl');
    const crlText = execFileSync(
      'openssl',
      ['crl', '-in', crl.destination, '-noout', '-issuer', '-nameopt', 'RFC2253'],
      {
        encoding: 'utf8',
      },
    );
    expect(crlText).toContain('CN=Formats Test Root');

    const csr = await t.value<{ destination: string }>('export:csr', {
      certId: rootId,
      encoding: 'der',
      destination: join(t.dir, 'root.csr'),
    });
    const verified = spawnSync(
      'openssl',
      ['req', '-in', csr.destination, '-inform', 'DER', '-verify', '-noout', '-subject'],
      { encoding: 'utf8' },
    );
    expect(verified.status).toBe(0);
    expect(`${verified.stdout}${verified.stderr}`).toMatch(/verify OK/i);
    expect(verified.stdout).toContain('Formats Test Root');
  });
});

describe('dialog:choose-files', () => {
  it('answers with the files the system dialog gave, one unless several are asked for', async () => {
    const t = await setUp();
    const many = await t.value<{ paths: string[] }>('dialog:choose-files', {
      purpose: 'import',
      multiple: true,
    });
    expect(many.paths).toEqual([INTEROP('leaf.pem'), INTEROP('int.pem')]);
    const one = await t.value<{ paths: string[] }>('dialog:choose-files', { purpose: 'inspect' });
    expect(one.paths).toEqual([INTEROP('leaf.pem')]);
    expect(t.dialogRequests).toEqual([
      { purpose: 'import', multiple: true },
      { purpose: 'inspect', multiple: false },
    ]);
  });
});
