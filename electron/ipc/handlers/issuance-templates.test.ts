// The template and batch channels through the real IPC router and a real vault: save, read and
// delete templates, issue from one, plan and sign an OpenSSL-made CSR with the officer's choices,
// and run a CSV batch with progress, a bad line and a cancel; certificates checked with OpenSSL.
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Response } from '../../../shared/contract';
import { tempDir } from '../../testing/temp';
import { AppContext } from '../context';
import { createIpcRouter, type RouterResult } from '../router';

interface ProgressSeen {
  channel: string;
  stage: string;
  message: string;
  fraction: number | null;
}

interface Setup {
  dir: string;
  context: AppContext;
  answers: RouterResult[];
  progress: ProgressSeen[];
  onProgress: ((event: ProgressSeen) => void) | undefined;
  call(channel: string, request?: unknown): Promise<RouterResult>;
  value<T>(channel: string, request?: unknown): Promise<T>;
  rootId: string;
  rootPem: string;
}

let setup: Setup;
let cleanup: () => void;

const DEVICE_TEMPLATE = {
  name: 'Devices',
  profile: 'tls-client',
  subjectDefaults: 'OU=Devices,O=Acme,C=DE',
  sans: ['DNS:fleet.example.test'],
  keyPolicy: 'regenerate',
  keyAlgorithm: 'ec-p256',
  validity: { days: 120 },
  csrPrecedence: { subject: 'csr', subjectAltName: 'csr' },
};

function pemOf(certId: string): string {
  const der = setup.context.unlockedServices().certificates.der(certId);
  const body = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}

function openssl(args: string[], input?: string): string {
  return execFileSync('openssl', args, { encoding: 'utf8', ...(input ? { input } : {}) });
}

/** Subject, SANs and chain of a certificate in the vault, as OpenSSL reads them. */
function opensslFacts(certId: string): { subject: string; sans: string; text: string } {
  const pem = pemOf(certId);
  const certFile = join(setup.dir, `${certId}.pem`);
  writeFileSync(certFile, pem);
  const rootFile = join(setup.dir, 'root.pem');
  writeFileSync(rootFile, setup.rootPem);
  const verified = spawnSync('openssl', ['verify', '-CAfile', rootFile, certFile], {
    encoding: 'utf8',
  });
  expect(verified.stdout + verified.stderr).toMatch(/: OK/);
  const subject = openssl(['x509', '-in', certFile, '-noout', '-subject', '-nameopt', 'RFC2253']);
  const sans = openssl(['x509', '-in', certFile, '-noout', '-ext', 'subjectAltName']);
  const text = openssl(['x509', '-in', certFile, '-noout', '-text']);
  return { subject: subject.replace(/^subject=\s*/, '').trim(), sans, text };
}

function opensslCsr(name: string, subject: string, sans: string): string {
  const keyFile = join(setup.dir, `${name}.key`);
  const csrFile = join(setup.dir, `${name}.csr`);
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyFile]);
  openssl([
    'req',
    '-new',
    '-key',
    keyFile,
    '-subj',
    subject,
    '-addext',
    `subjectAltName=${sans}`,
    '-out',
    csrFile,
  ]);
  return csrFile;
}

beforeEach(async () => {
  const dir = tempDir('mazevault-templates-ipc-');
  const progress: ProgressSeen[] = [];
  const context = new AppContext({
    emit: (event, payload) => {
      if (event !== 'progress') return;
      const seen = payload as ProgressSeen;
      const entry = {
        channel: seen.channel,
        stage: seen.stage,
        message: seen.message,
        fraction: seen.fraction,
      };
      progress.push(entry);
      setup?.onProgress?.(entry);
    },
    defaultDirectory: dir.path,
    version: '0.0.0-test',
    actor: 'test-officer',
    kdfCost: 'test-only',
    log: { warn: () => undefined, error: () => undefined },
  });
  cleanup = () => {
    context.close();
    dir.cleanup();
  };
  const router = createIpcRouter(context);
  const answers: RouterResult[] = [];
  const call = async (channel: string, request?: unknown) => {
    const answer = await router.handle(channel, request);
    answers.push(answer);
    return answer;
  };
  const value = async <T>(channel: string, request?: unknown): Promise<T> => {
    const answer = await call(channel, request);
    if (!answer.ok) throw new Error(`${channel}: ${answer.error.code} ${answer.error.message}`);
    return answer.value as T;
  };

  await value('vault:create', { path: join(dir.path, 't.mzv'), passphrase: 'templates pass 1' });
  const root = await value<Response<'ca:create-root'>>('ca:create-root', {
    subject: 'CN=Template Root,O=Acme,C=DE',
    key: { kind: 'new', algorithm: 'ec-p256' },
    validity: { years: 20 },
  });
  setup = {
    dir: dir.path,
    context,
    answers,
    progress,
    onProgress: undefined,
    call,
    value,
    rootId: root.certificate.id,
    rootPem: '',
  };
  setup.rootPem = pemOf(root.certificate.id);
});

afterEach(() => {
  // No answer of any test carried private key material.
  expect(JSON.stringify(setup.answers)).not.toMatch(/PRIVATE KEY/);
  cleanup();
});

describe('the template channels', () => {
  it('save, read, list and delete a template, the delete only once confirmed', async () => {
    const { value, call } = setup;
    const saved = await value<Response<'templates:save'>>('templates:save', DEVICE_TEMPLATE);
    expect(saved).toMatchObject({
      name: 'Devices',
      profile: 'tls-client',
      subjectDefaults: 'OU=Devices,O=Acme,C=DE',
      sans: ['DNS:fleet.example.test'],
      crlDistributionPoint: null,
      validity: { days: 120 },
      csrPrecedence: { subject: 'csr', subjectAltName: 'csr' },
    });
    const byName = await value<Response<'templates:get'>>('templates:get', {
      template: 'Devices',
    });
    expect(byName.id).toBe(saved.id);

    // Saving under the same name replaces it.
    const edited = await value<Response<'templates:save'>>('templates:save', {
      ...DEVICE_TEMPLATE,
      validity: { years: 1 },
      csrPrecedence: { subject: 'template', subjectAltName: 'csr' },
      crlDistributionPoint: 'http://crl.example.test/root.crl',
    });
    expect(edited.id).toBe(saved.id);
    expect(edited.validity).toEqual({ years: 1 });
    expect(edited.csrPrecedence.subject).toBe('template');
    const listed = await value<Response<'templates:list'>>('templates:list');
    expect(listed.templates.map((t) => t.name)).toEqual(['Devices']);

    const unconfirmed = await call('templates:remove', { template: saved.id });
    expect(unconfirmed).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(!unconfirmed.ok && unconfirmed.error.message).toMatch(
      /Confirm that the template "Devices"/,
    );
    await value('templates:remove', { template: saved.id, confirmed: true });
    const missing = await call('templates:get', { template: 'Devices' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const audited = async (action: string) =>
      (await value<Response<'audit:list'>>('audit:list', { action })).events.length;
    expect(await audited('template.save')).toBe(2);
    expect(await audited('template.remove')).toBe(1);
  });

  it('refuses a template whose validity leaves the end-entity policy, and says why', async () => {
    const answer = await setup.call('templates:save', {
      ...DEVICE_TEMPLATE,
      validity: { years: 3 },
    });
    expect(answer.ok).toBe(false);
    if (!answer.ok) {
      expect(answer.error.code).toBe('POLICY_VIOLATION');
      expect(answer.error.message.length).toBeGreaterThan(20);
    }
    const noValidity = await setup.call('templates:save', { ...DEVICE_TEMPLATE, validity: {} });
    expect(noValidity).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('issue a new key and certificate the template way, checked with openssl', async () => {
    const { value } = setup;
    await value('templates:save', DEVICE_TEMPLATE);
    const issued = await value<Response<'templates:issue'>>('templates:issue', {
      template: 'Devices',
      issuerId: setup.rootId,
      subject: 'sensor-1',
      subjectAltNames: ['DNS:sensor-1.example.test'],
    });
    expect(issued.key).not.toBeNull();
    expect(issued.key!.algorithm).toBe('ec-p256');
    const facts = opensslFacts(issued.certificate.id);
    expect(facts.subject).toBe('CN=sensor-1,OU=Devices,O=Acme,C=DE');
    expect(facts.sans).toMatch(/DNS:sensor-1\.example\.test, DNS:fleet\.example\.test/);
    expect(facts.text).toMatch(/TLS Web Client Authentication/);
    const days =
      (Date.parse(issued.certificate.notAfter) - Date.parse(issued.certificate.notBefore)) /
      86_400_000;
    expect(Math.round(days)).toBe(120);
    expect(
      setup.progress.some((p) => p.channel === 'templates:issue' && p.stage === 'finished'),
    ).toBe(true);
  });

  it('plan an openssl CSR from a file, then sign it with the template winning the subject and edited SANs', async () => {
    const { value, call } = setup;
    await value('templates:save', DEVICE_TEMPLATE);
    const csrFile = opensslCsr('csr-1', '/C=US/O=Other Org/CN=camera-9', 'DNS:camera-9.other.test');

    const csrPlan = await value<Response<'templates:plan-csr'>>('templates:plan-csr', {
      template: 'Devices',
      csr: { kind: 'path', path: csrFile },
    });
    expect(csrPlan).toEqual({
      subject: 'CN=camera-9,OU=Devices,O=Other Org,C=US',
      sans: ['DNS:camera-9.other.test'],
      precedence: { subject: 'csr', subjectAltName: 'csr' },
      csrSubject: 'CN=camera-9,O=Other Org,C=US',
      csrSans: ['DNS:camera-9.other.test'],
      templateSubjectDefaults: 'OU=Devices,O=Acme,C=DE',
      templateSans: ['DNS:fleet.example.test'],
    });
    const templateWins = await value<Response<'templates:plan-csr'>>('templates:plan-csr', {
      template: 'Devices',
      csr: { kind: 'path', path: csrFile },
      precedence: { subject: 'template', subjectAltName: 'template' },
    });
    expect(templateWins.subject).toBe('CN=camera-9,OU=Devices,O=Acme,C=DE');
    expect(templateWins.sans).toEqual(['DNS:fleet.example.test']);

    const signed = await value<Response<'templates:sign-csr'>>('templates:sign-csr', {
      template: 'Devices',
      issuerId: setup.rootId,
      csr: { kind: 'path', path: csrFile },
      precedence: { subject: 'template', subjectAltName: 'csr' },
      subjectAltNames: ['DNS:camera-9.acme.test', 'IP:192.0.2.9'],
    });
    expect(signed.key).toBeNull();
    const facts = opensslFacts(signed.certificate.id);
    expect(facts.subject).toBe('CN=camera-9,OU=Devices,O=Acme,C=DE');
    expect(facts.sans).toMatch(/DNS:camera-9\.acme\.test, IP Address:192\.0\.2\.9/);
    expect(facts.sans).not.toMatch(/other\.test/);
    // The certificate certifies the CSR's own key.
    const csrKey = openssl(['req', '-in', csrFile, '-noout', '-pubkey']);
    const pem = pemOf(signed.certificate.id);
    expect(openssl(['x509', '-noout', '-pubkey'], pem)).toBe(csrKey);

    const broken = await call('templates:plan-csr', {
      template: 'Devices',
      csr: { kind: 'pem', text: '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n' },
    });
    expect(broken.ok).toBe(false);
    const relative = await call('templates:sign-csr', {
      template: 'Devices',
      issuerId: setup.rootId,
      csr: { kind: 'path', path: 'csr-1.csr' },
      precedence: { subject: 'csr', subjectAltName: 'csr' },
    });
    expect(relative).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});

describe('the batch channels', () => {
  it('issue a CSV batch with progress and report a bad line without stopping', async () => {
    const { value } = setup;
    await value('templates:save', DEVICE_TEMPLATE);
    const lines = Array.from({ length: 8 }, (_, index) =>
      index === 4 ? 'dev-4,DNS:bad_name!,' : `dev-${index},DNS:dev-${index}.example.test,90`,
    );
    const csvFile = join(setup.dir, 'devices.csv');
    writeFileSync(csvFile, ['cn,sans,days', ...lines].join('\n'));

    const result = await value<Response<'batch:issue'>>('batch:issue', {
      batchId: 'batch-0001',
      issuerId: setup.rootId,
      template: 'Devices',
      csv: { kind: 'path', path: csvFile },
    });
    expect(result).toMatchObject({ issued: 7, failed: 1, total: 8, cancelled: false });
    expect(result.lines.map((line) => [line.line, line.outcome])).toEqual([
      [2, 'issued'],
      [3, 'issued'],
      [4, 'issued'],
      [5, 'issued'],
      [6, 'failed'],
      [7, 'issued'],
      [8, 'issued'],
      [9, 'issued'],
    ]);
    const failed = result.lines[4]!;
    expect(failed.outcome === 'failed' && failed.message).toMatch(/bad_name!/);

    const first = result.lines[0]!;
    if (first.outcome !== 'issued') throw new Error('line 2 should be issued');
    const facts = opensslFacts(first.certId);
    expect(facts.subject).toBe('CN=dev-0,OU=Devices,O=Acme,C=DE');
    expect(facts.sans).toMatch(/DNS:dev-0\.example\.test/);

    const batchProgress = setup.progress.filter((p) => p.channel === 'batch:issue');
    expect(batchProgress[0]!.stage).toBe('started');
    expect(batchProgress.at(-1)!.stage).toBe('finished');
    const working = batchProgress.filter((p) => p.stage === 'working');
    expect(working.at(-1)).toMatchObject({ message: '8 of 8 lines done', fraction: 1 });
  });

  it('stop a running batch on cancel, keeping what was issued', async () => {
    const { value } = setup;
    await value('templates:save', DEVICE_TEMPLATE);
    const text = ['cn', ...Array.from({ length: 10 }, (_, index) => `unit-${index}`)].join('\n');
    setup.onProgress = (event) => {
      if (event.channel === 'batch:issue' && event.stage === 'working') {
        void setup.call('batch:cancel', { batchId: 'batch-cancel-1' });
        setup.onProgress = undefined;
      }
    };
    const result = await value<Response<'batch:issue'>>('batch:issue', {
      batchId: 'batch-cancel-1',
      issuerId: setup.rootId,
      template: 'Devices',
      csv: { kind: 'text', text },
    });
    expect(result.cancelled).toBe(true);
    expect(result.issued).toBe(1);
    expect(result.total).toBe(10);
    expect(await value('batch:cancel', { batchId: 'batch-cancel-1' })).toEqual({
      cancelled: false,
    });
  });

  it('names in the preview every line whose days value the batch will refuse', async () => {
    const preview = await setup.value<Response<'batch:preview'>>('batch:preview', {
      csv: { kind: 'text', text: 'cn,days\na.example,abc\nb.example,90\nc.example,1x\n' },
    });
    expect(preview.total).toBe(3);
    expect(preview.warnings).toEqual([
      'Line 2: days must be a whole number, not "abc"; this line will fail.',
      'Line 4: days must be a whole number, not "1x"; this line will fail.',
    ]);
  });

  it('preview a CSV without issuing, naming what the batch would ignore', async () => {
    const { value } = setup;
    const text = 'cn,owner,sans\nprinter-1,alice,DNS:printer-1.example.test\nprinter-2,bob,,x\n';
    const preview = await value<Response<'batch:preview'>>('batch:preview', {
      csv: { kind: 'text', text },
    });
    expect(preview.total).toBe(2);
    expect(preview.warnings).toHaveLength(2);
    expect(preview.warnings[0]).toMatch(/"owner" is ignored/);
    expect(preview.warnings[1]).toMatch(/^Line 3 has 4 fields/);
    expect(setup.context.unlockedServices().certificates.list({ search: 'printer' })).toEqual([]);

    await value('templates:save', DEVICE_TEMPLATE);
    const result = await value<Response<'batch:issue'>>('batch:issue', {
      batchId: 'batch-warned-1',
      issuerId: setup.rootId,
      template: 'Devices',
      csv: { kind: 'text', text },
    });
    expect(result).toMatchObject({ issued: 2, failed: 0, warnings: preview.warnings });
  });

  it('refuse a CSV without a subject column, saying what the header needs', async () => {
    const { value, call } = setup;
    await value('templates:save', DEVICE_TEMPLATE);
    const answer = await call('batch:issue', {
      batchId: 'batch-bad-header',
      issuerId: setup.rootId,
      template: 'Devices',
      csv: { kind: 'text', text: 'name,sans\nx,DNS:x.test\n' },
    });
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(!answer.ok && answer.error.message).toMatch(/"cn" or "subject" column/);
  });
});
