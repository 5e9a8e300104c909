// Trust anchors from the window: an imported root is not trusted until the officer marks it, the
// mark is audited and can be taken back, and a CA the vault created cannot be untrusted.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportResultDto } from '../../../shared/bridge/formats-dto';
import { corpusPath } from '../../testing/corpus';
import { TEST_PASSPHRASE, tempDir } from '../../testing/temp';
import { AppContext } from '../context';
import { createIpcRouter } from '../router';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

async function setUp() {
  const dir = tempDir('mazevault-trust-');
  const context = new AppContext({
    emit: () => undefined,
    defaultDirectory: dir.path,
    version: '0.0.0-test',
    actor: 'test-officer',
    kdfCost: 'test-only',
    log: { warn: () => undefined, error: () => undefined },
  });
  cleanups.push(() => {
    context.close();
    dir.cleanup();
  });
  const router = createIpcRouter(context);
  const value = async <T>(channel: string, request?: unknown): Promise<T> => {
    const answer = await router.handle(channel, request);
    if (!answer.ok) throw new Error(`${channel}: ${answer.error.code} ${answer.error.message}`);
    return answer.value as T;
  };
  await value('vault:create', { path: join(dir.path, 'trust.mzv'), passphrase: TEST_PASSPHRASE });
  return { router, value };
}

interface TrustStatus {
  trusted: boolean;
  vaultCa: boolean;
  reason: string;
}

describe('trust anchors through the bridge', () => {
  it('leaves an imported root untrusted until marked, and takes the mark back', async () => {
    const { value, router } = await setUp();
    const bytes = readFileSync(corpusPath('interop', 'root.pem'));
    const imported = await value<ImportResultDto>('import:commit', {
      importId: 'trust-import-1',
      mode: 'internal',
      files: [{ source: { kind: 'bytes', name: 'root.pem', base64: bytes.toString('base64') } }],
    });
    const rootId = imported.entries.find((entry) => entry.kind === 'certificate')!.id!;

    const before = await value<TrustStatus>('certificates:trust', { id: rootId });
    expect(before).toMatchObject({ trusted: false, vaultCa: false });
    expect(before.reason).toMatch(/importing a certificate never makes it a trust anchor/);

    const marked = await value<TrustStatus>('certificates:set-trust', {
      id: rootId,
      trusted: true,
    });
    expect(marked).toMatchObject({ trusted: true, reason: 'marked trusted by an officer' });
    const audit = await value<{ events: { action: string; subject: string }[] }>('audit:list', {});
    expect(audit.events.some((e) => e.action === 'cert.trust' && e.subject === rootId)).toBe(true);

    const unmarked = await value<TrustStatus>('certificates:set-trust', {
      id: rootId,
      trusted: false,
    });
    expect(unmarked.trusted).toBe(false);
    const missing = await router.handle('certificates:trust', { id: 'cert_missing' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('keeps a CA the vault created as an anchor, and refuses to untrust it', async () => {
    const { value, router } = await setUp();
    const root = await value<{ certificate: { id: string } }>('ca:create-root', {
      subject: 'CN=Own Root',
      key: { kind: 'new', algorithm: 'ec-p256' },
      validity: { years: 10 },
    });
    const status = await value<TrustStatus>('certificates:trust', { id: root.certificate.id });
    expect(status).toMatchObject({ trusted: true, vaultCa: true });
    const refused = await router.handle('certificates:set-trust', {
      id: root.certificate.id,
      trusted: false,
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'POLICY_VIOLATION' } });
  });
});
