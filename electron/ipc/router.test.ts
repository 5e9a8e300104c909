import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, type EventName, type Response } from '../../shared/contract';
import { MazeVaultError } from '../../shared/errors';
import { TEST_PASSPHRASE, tempDir } from '../testing/temp';
import { AppContext, type IpcLogger } from './context';
import type { HandlerTable } from './handler';
import { createHandlers } from './handlers/index';
import { createIpcRouter, type IpcRouter, type RouterResult } from './router';

interface Harness {
  dir: string;
  context: AppContext;
  router: IpcRouter;
  events: { event: EventName; payload: unknown }[];
  logged: string[];
  answers: RouterResult[];
  call(channel: string, request?: unknown): Promise<RouterResult>;
  value<T = Record<string, unknown>>(channel: string, request?: unknown): Promise<T>;
}

let cleanups: (() => void)[] = [];

function setUp(handlers?: HandlerTable): Harness {
  const dir = tempDir('mazevault-ipc-');
  const events: Harness['events'] = [];
  const logged: string[] = [];
  const log: IpcLogger = {
    warn: (message) => logged.push(message),
    error: (message) => logged.push(message),
  };
  const context = new AppContext({
    emit: (event, payload) => events.push({ event, payload }),
    defaultDirectory: dir.path,
    version: '0.0.0-test',
    actor: 'test-officer',
    kdfCost: 'test-only',
    log,
  });
  cleanups.push(() => {
    context.close();
    dir.cleanup();
  });
  const router = createIpcRouter(context, handlers);
  const answers: RouterResult[] = [];
  const call = async (channel: string, request?: unknown): Promise<RouterResult> => {
    const answer = await router.handle(channel, request);
    answers.push(answer);
    return answer;
  };
  const value = async <T>(channel: string, request?: unknown): Promise<T> => {
    const answer = await call(channel, request);
    if (!answer.ok) {
      throw new Error(`${channel} failed: ${answer.error.code} ${answer.error.message}`);
    }
    return answer.value as T;
  };
  return { dir: dir.path, context, router, events, logged, answers, call, value };
}

beforeEach(() => {
  cleanups = [];
});

afterEach(() => {
  for (const cleanup of cleanups.reverse()) cleanup();
});

describe('the IPC router', () => {
  it('serves exactly the contract channels', () => {
    const { router } = setUp();
    expect([...router.channels].sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  it('refuses a channel the contract does not declare', async () => {
    const { call, logged } = setUp();
    const answer = await call('fs:read-file', { path: '/etc/passwd' });
    expect(answer).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'INVALID_INPUT' }),
    });
    expect(logged.join('\n')).toContain('unknown channel');
  });

  it('refuses requests that do not fit the schema, without quoting the values', async () => {
    const { call } = setUp();
    const secret = 'a passphrase that must never be echoed';
    const missing = await call('vault:create', { passphrase: secret });
    const extra = await call('vault:create', {
      path: '/tmp/x.mzv',
      passphrase: secret,
      admin: true,
    });
    const wrongType = await call('vault:set-auto-lock', { minutes: 'ten' });
    for (const answer of [missing, extra, wrongType]) {
      expect(answer.ok).toBe(false);
      if (answer.ok) continue;
      expect(answer.error.code).toBe('INVALID_INPUT');
      expect(answer.error.message).not.toContain(secret);
    }
    if (!extra.ok) expect(extra.error.message).toContain('admin');
  });

  it('says no vault is open before one is created or opened', async () => {
    const { call } = setUp();
    const answer = await call('keys:list', {});
    expect(answer).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'VAULT_NOT_FOUND' }),
    });
  });

  it('reports an answer outside the response schema as an internal error and logs it', async () => {
    const handlers = createHandlers();
    const broken = {
      ...handlers,
      // A service that leaks where the private key lives: the strict DTO refuses the extra field.
      'app:status': () => ({ version: '1', platform: 'x', defaultDirectory: '/tmp', vault: null }),
    } as unknown as HandlerTable;
    const { call, logged } = setUp(broken);
    const answer = await call('app:status');
    expect(answer).toEqual({
      ok: false,
      error: {
        code: 'INTERNAL',
        message: 'An internal error occurred; the details are in the log.',
      },
    });
    expect(logged.join('\n')).toMatch(/app:status answered outside its contract: vault/);
  });

  it('refuses writes with BUSY while an import holds the vault transaction, and allows reads', async () => {
    let finishImport: () => void = () => undefined;
    const handlers = {
      ...createHandlers(),
      // An import that holds its transaction until the test lets it finish.
      'import:commit': () =>
        new Promise((resolve) => {
          finishImport = () =>
            resolve({
              mode: 'internal',
              counts: { new: 0, existing: 0, skipped: 0, failed: 0 },
              entries: [],
              warnings: [],
            });
        }),
    } as unknown as HandlerTable;
    const { call, value, dir } = setUp(handlers);
    await value('vault:create', { path: join(dir, 'busy.mzv'), passphrase: TEST_PASSPHRASE });

    const importRequest = {
      importId: 'import-0001',
      mode: 'internal',
      files: [{ source: { kind: 'bytes', name: 'a.pem', base64: 'AAAA' } }],
    };
    const running = call('import:commit', importRequest);
    await new Promise((resolve) => setImmediate(resolve));

    for (const [channel, request] of [
      ['keys:generate', { algorithm: 'ec-p256', label: 'during import' }],
      ['vault:lock', {}],
      ['import:commit', { ...importRequest, importId: 'import-0002' }],
    ] as const) {
      const refused = await call(channel, request);
      expect(refused.ok, channel).toBe(false);
      if (!refused.ok) {
        expect(refused.error.code).toBe('BUSY');
        expect(refused.error.message).toMatch(/import:commit is writing to the vault/);
      }
    }
    expect((await call('app:status')).ok).toBe(true);
    expect((await call('keys:list')).ok).toBe(true);
    expect((await call('import:cancel', { importId: 'import-0001' })).ok).toBe(true);

    finishImport();
    expect((await running).ok).toBe(true);
    expect((await call('vault:lock')).ok).toBe(true);
  });

  it('withholds an answer that carries private key PEM even when it fits the schema', async () => {
    const handlers = createHandlers();
    const leaky = {
      ...handlers,
      'keys:get': async (request, tools) => ({
        ...(await handlers['keys:get'](request, tools)),
        label: '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----',
      }),
    } as HandlerTable;
    const { value, call, logged, dir } = setUp(leaky);
    await value('vault:create', { path: join(dir, 'leak.mzv'), passphrase: TEST_PASSPHRASE });
    const key = await value<{ id: string }>('keys:generate', {
      algorithm: 'ec-p256',
      label: 'leaky',
    });
    const answer = await call('keys:get', { id: key.id });
    expect(answer).toEqual({ ok: false, error: expect.objectContaining({ code: 'INTERNAL' }) });
    expect(logged.join('\n')).toContain('private key material');
  });

  it('passes officer errors through and hides unexpected ones behind INTERNAL', async () => {
    const handlers = createHandlers();
    const failing = {
      ...handlers,
      'dashboard:summary': () => {
        throw new TypeError("Cannot read properties of undefined (reading 'secretId')");
      },
      'audit:list': () => {
        throw new MazeVaultError('AUDIT_BROKEN', 'The audit trail is broken at event 7.');
      },
    } as unknown as HandlerTable;
    const { call, logged } = setUp(failing);
    const unexpected = await call('dashboard:summary');
    expect(unexpected).toEqual({
      ok: false,
      error: {
        code: 'INTERNAL',
        message: 'An internal error occurred; the details are in the log.',
      },
    });
    expect(logged.join('\n')).toContain('dashboard:summary failed unexpectedly');
    const known = await call('audit:list', {});
    expect(known).toEqual({
      ok: false,
      error: { code: 'AUDIT_BROKEN', message: 'The audit trail is broken at event 7.' },
    });
  });

  it('refuses a wrong passphrase with WRONG_PASSPHRASE and a missing vault with VAULT_NOT_FOUND', async () => {
    const { value, call, dir } = setUp();
    const path = join(dir, 'wrong.mzv');
    await value('vault:create', { path, passphrase: TEST_PASSPHRASE });
    await value('vault:lock');
    const wrong = await call('vault:unlock', { passphrase: 'not the right passphrase' });
    expect(wrong).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'WRONG_PASSPHRASE' }),
    });
    const missing = await call('vault:open', { path: join(dir, 'nowhere.mzv') });
    expect(missing).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'VAULT_NOT_FOUND' }),
    });
  });

  it('forwards lock events to the window and refuses data channels while locked', async () => {
    const { value, call, events, dir } = setUp();
    const path = join(dir, 'lock.mzv');
    await value('vault:create', { path, passphrase: TEST_PASSPHRASE });
    const status = await value<{ state: string }>('vault:lock');
    expect(status.state).toBe('locked');
    expect(events).toContainEqual({ event: 'vault-locked', payload: { reason: 'manual', path } });
    const answer = await call('keys:list', {});
    expect(answer).toEqual({ ok: false, error: expect.objectContaining({ code: 'VAULT_LOCKED' }) });
  });

  it('emits progress events around long work, with one operation id per call', async () => {
    const { value, events, dir } = setUp();
    await value('vault:create', { path: join(dir, 'p.mzv'), passphrase: TEST_PASSPHRASE });
    events.length = 0;
    await value('keys:generate', { algorithm: 'ec-p256', label: 'progress' });
    const progress = events.filter((e) => e.event === 'progress').map((e) => e.payload) as {
      operationId: string;
      channel: string;
      stage: string;
    }[];
    expect(progress.map((p) => p.stage)).toEqual(['started', 'finished']);
    expect(new Set(progress.map((p) => p.operationId)).size).toBe(1);
    expect(progress[0]!.channel).toBe('keys:generate');
  });

  it('refuses a lifecycle transition the table forbids', async () => {
    const { value, call, dir } = setUp();
    await value('vault:create', { path: join(dir, 't.mzv'), passphrase: TEST_PASSPHRASE });
    const key = await value<{ id: string; allowedTransitions: string[] }>('keys:generate', {
      algorithm: 'ed25519',
      label: 'lifecycle',
    });
    expect(key.allowedTransitions).toEqual(['suspended', 'deactivated', 'compromised']);
    const answer = await call('keys:transition', { id: key.id, to: 'pre-active', reason: 'undo' });
    expect(answer).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'FORBIDDEN_TRANSITION' }),
    });
    const deactivated = await value<{ state: string; allowedOperations: string[] }>(
      'keys:transition',
      {
        id: key.id,
        to: 'deactivated',
        reason: 'end of cryptoperiod',
      },
    );
    expect(deactivated.state).toBe('deactivated');
    expect(deactivated.allowedOperations).toEqual(['verify', 'decrypt']);
  });

  it('runs a root ceremony, a subordinate, a leaf and an export with no secret in any answer', async () => {
    const { value, call, answers, dir } = setUp();
    await value('vault:create', { path: join(dir, 'ceremony.mzv'), passphrase: TEST_PASSPHRASE });

    const root = await value<Response<'ca:create-root'>>('ca:create-root', {
      subject: 'CN=Test Root CA,O=MazeVault Test,C=DE',
      key: { kind: 'new', algorithm: 'ec-p384' },
      validity: { years: 20 },
    });
    expect(root.certificate.selfSigned).toBe(true);
    expect(root.certificate.extensions).toContainEqual(
      expect.objectContaining({
        name: 'Basic Constraints',
        critical: true,
        lines: ['CA: true', 'Path length: unlimited'],
      }),
    );
    expect(root.key!.spkiSha256).toBe(root.certificate.publicKey.spkiSha256);

    const sub = await value<Response<'ca:issue-subordinate'>>('ca:issue-subordinate', {
      issuerId: root.certificate.id,
      subject: 'CN=Test Issuing CA,O=MazeVault Test,C=DE',
      key: { kind: 'new', algorithm: 'ec-p256' },
      validity: { years: 10 },
    });
    expect(sub.certificate.chain.map((link) => link.id)).toEqual([
      sub.certificate.id,
      root.certificate.id,
    ]);

    // A CSR made by OpenSSL, whose private key never enters the vault.
    const keyFile = join(dir, 'csr.key');
    execFileSync('openssl', [
      'genpkey',
      '-algorithm',
      'EC',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-out',
      keyFile,
    ]);
    const csrPem = execFileSync('openssl', [
      'req',
      '-new',
      '-key',
      keyFile,
      '-subj',
      '/CN=www.example.test',
      '-addext',
      'subjectAltName=DNS:www.example.test',
    ]).toString();
    const leaf = await value<Response<'certificates:issue-end-entity'>>(
      'certificates:issue-end-entity',
      {
        issuerId: sub.certificate.id,
        profile: 'tls-server',
        validity: { days: 90 },
        source: { kind: 'csr', pem: csrPem },
      },
    );
    expect(leaf.key).toBeNull();
    const sanLines = leaf.certificate.extensions.find((e) => e.oid === '2.5.29.17')?.lines;
    expect(sanLines).toEqual(['DNS: www.example.test']);

    // The chain the window shows verifies with OpenSSL.
    const rootPem = join(dir, 'root.pem');
    const subPem = join(dir, 'sub.pem');
    const leafPem = join(dir, 'leaf.pem');
    writeFileSync(rootPem, root.certificate.pem);
    writeFileSync(subPem, sub.certificate.pem);
    writeFileSync(leafPem, leaf.certificate.pem);
    const verified = execFileSync('openssl', [
      'verify',
      '-CAfile',
      rootPem,
      '-untrusted',
      subPem,
      leafPem,
    ]);
    expect(verified.toString()).toContain('OK');

    const server = await value<Response<'certificates:issue-end-entity'>>(
      'certificates:issue-end-entity',
      {
        issuerId: sub.certificate.id,
        profile: 'tls-server',
        subject: 'CN=api.example.test',
        subjectAltNames: ['DNS:api.example.test'],
        validity: { days: 20 },
        override: { reason: 'short-lived test certificate' },
        source: { kind: 'new', algorithm: 'ec-p256' },
      },
    );
    expect(server.key?.state).toBe('active');

    const unconfirmed = await call('export:certificate', {
      certId: server.certificate.id,
      format: 'p12',
      withKey: true,
      password: 'export password 1',
      destination: join(dir, 'server.p12'),
    });
    expect(unconfirmed).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'CONFIRMATION_REQUIRED' }),
    });
    expect(existsSync(join(dir, 'server.p12'))).toBe(false);

    const exported = await value<Response<'export:certificate'>>('export:certificate', {
      certId: server.certificate.id,
      format: 'p12',
      withKey: true,
      chain: true,
      password: 'export password 1',
      destination: join(dir, 'server.p12'),
      confirmed: true,
    });
    const written = readFileSync(exported.destination);
    expect(exported.withKey).toBe(true);
    expect(exported.bytes).toBe(written.length);
    expect(exported.sha256).toBe(createHash('sha256').update(written).digest('hex'));
    expect(statSync(exported.destination).mode & 0o777).toBe(0o600);
    const opened = execFileSync('openssl', [
      'pkcs12',
      '-in',
      exported.destination,
      '-passin',
      'pass:export password 1',
      '-nokeys',
    ]).toString();
    expect(opened).toMatch(/subject=CN ?= ?api\.example\.test/);

    const again = await call('export:certificate', {
      certId: server.certificate.id,
      format: 'pem',
      destination: join(dir, 'server.p12'),
    });
    expect(again).toEqual({ ok: false, error: expect.objectContaining({ code: 'IO_ERROR' }) });

    const summary = await value<Response<'dashboard:summary'>>('dashboard:summary');
    expect(summary.keys.byState.active).toBe(3);
    expect(summary.certificates.total).toBe(4);
    expect(summary.certificates.ca).toBe(2);
    expect(summary.certificates.expiringWithin30Days.map((c) => c.id)).toEqual([
      server.certificate.id,
    ]);
    expect(summary.certificates.expiringWithin90Days).toHaveLength(2);

    const transcript = await value<{ markdown: string; fileName: string }>('ceremony:transcript', {
      certId: root.certificate.id,
      witnesses: ['Alice Auditor', 'Bob Witness'],
    });
    const grouped = (hex: string) => hex.toUpperCase().replace(/(.{4})(?=.)/g, '$1 ');
    expect(transcript.markdown).toContain('# Root CA key ceremony: Test Root CA');
    expect(transcript.markdown).toContain(grouped(root.certificate.fingerprints.sha256));
    expect(transcript.markdown).toContain(grouped(root.key!.spkiSha256));
    expect(transcript.markdown).toMatch(/\| \d+ \| [^|]+ \| test-officer \| key\.generate \|/);
    expect(transcript.markdown).toMatch(/\| \d+ \| [^|]+ \| test-officer \| cert\.issue \|/);
    expect(transcript.markdown).toContain('Alice Auditor: ____');
    expect(transcript.fileName).toMatch(/^root-ca-key-ceremony-test-root-ca-\d{4}-\d\d-\d\d\.md$/);

    // Notes are shown as typed, inside a fence: they cannot add a heading or a table row.
    const withNotes = await value<{ markdown: string }>('ceremony:transcript', {
      certId: root.certificate.id,
      witnesses: ['Alice Auditor'],
      notes: 'Room 4.\n## Signatures\n| fake | row |',
    });
    expect(withNotes.markdown).toContain('```text\nRoom 4.\n## Signatures\n| fake | row |\n```');
    const outsideFence = withNotes.markdown.replace(/```text[\s\S]*?\n```/, '');
    expect(outsideFence.match(/^## Signatures$/gm)).toHaveLength(1);

    // A validity outside the policy, overridden: the transcript says so, with the reason.
    const longRoot = await value<Response<'ca:create-root'>>('ca:create-root', {
      subject: 'CN=Long Root CA',
      key: { kind: 'new', algorithm: 'ec-p256' },
      validity: { years: 25 },
      override: { reason: 'board decision 2026-11' },
    });
    const overridden = await value<{ markdown: string }>('ceremony:transcript', {
      certId: longRoot.certificate.id,
      witnesses: ['Alice Auditor'],
    });
    expect(overridden.markdown).toMatch(/## Policy overrides[\s\S]*board decision 2026-11/);

    const audit = await value<{ events: { action: string }[]; total: number }>('audit:list', {
      limit: 500,
    });
    expect(audit.events.map((e) => e.action)).toContain('export.certificate');
    const verification = await value<{ ok: boolean; events: number }>('audit:verify');
    expect(verification).toEqual(expect.objectContaining({ ok: true, events: audit.total }));

    const everything = JSON.stringify(answers);
    expect(everything).not.toMatch(/PRIVATE KEY/);
    expect(everything).not.toContain(TEST_PASSPHRASE);
    expect(everything).not.toContain('export password 1');
    expect(everything).not.toMatch(/providerRef|secretId/);
  });
});
