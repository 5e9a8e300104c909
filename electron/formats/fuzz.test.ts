// Mutates corpus files (bit flips, truncation, length-field edits) with a fixed seed and feeds
// them to the decoders and the inspector: every input must end in a Bundle or a MazeVaultError
// with a message, within a time bound. Any other exception is a crash; a long run is a hang.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MazeVaultError } from '../../shared/errors';
import { asn1Tree, inspectCertificate, inspectCrl, inspectCsr } from '../pki/inspect';
import { decode } from './decode';
import { parsePem } from './decode-pem';
import { CORPUS_DIR } from '../testing/corpus';

const CORPUS = CORPUS_DIR;
const SEED = 0x3a11ce;
const MUTANTS_PER_FILE = 60;
/** The slowest legitimate decode here (legacy PKCS#12 KDFs) takes well under a second. */
const TIME_BOUND_MS = 5_000;

const TARGETS: { path: string; password?: string }[] = [
  { path: 'interop/leaf-openssl3-default.p12', password: 'changeit' },
  { path: 'interop/leaf-legacy-rc2-3des.p12', password: 'changeit' },
  { path: 'interop/keystore.jks', password: 'changeit' },
  { path: 'interop/truststore.jks', password: 'changeit' },
  { path: 'interop/chain.p7b' },
  { path: 'interop/leaf.der' },
  { path: 'interop/leaf-pkcs8-aes256.pem', password: 'changeit' },
  { path: 'interop/leaf-traditional-plain.pem' },
  { path: 'interop/int.crl.pem' },
  { path: 'pyca/pkcs7/amazon-roots.p7b' },
  { path: 'pyca/pkcs12/no-password.p12' },
  { path: 'pyca/x509/requests/rsa_sha256.der' },
  { path: 'pyca/asymmetric/DER_Serialization/enc-rsa-pkcs8.der', password: 'foobar' },
  { path: 'pyca/asymmetric/Traditional_OpenSSL_Serialization/key1.pem', password: '123456' },
  { path: 'pyjks/tests/keystores/jceks/RSA2048_3certs.jceks', password: '12345678' },
];

/** mulberry32: a small deterministic PRNG so every run tries the same mutants. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Mutation = 'bit flip' | 'truncation' | 'length edit';
const LENGTH_BYTES = [0x00, 0x01, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0xff];

function mutate(bytes: Buffer, random: () => number): { mutant: Buffer; kind: Mutation } {
  const pick = (n: number) => Math.floor(random() * n);
  const roll = random();
  if (roll < 0.4) {
    const mutant = Buffer.from(bytes);
    for (let flips = 1 + pick(3); flips > 0; flips--) mutant[pick(mutant.length)]! ^= 1 << pick(8);
    return { mutant, kind: 'bit flip' };
  }
  if (roll < 0.6) {
    return { mutant: Buffer.from(bytes.subarray(0, pick(bytes.length))), kind: 'truncation' };
  }

  // A length field: the byte after an identifier octet; bias towards the structure near the start.
  const mutant = Buffer.from(bytes);
  const span = random() < 0.5 ? Math.min(mutant.length - 1, 96) : mutant.length - 1;
  const at = 1 + pick(Math.max(1, span));
  mutant[at] = LENGTH_BYTES[pick(LENGTH_BYTES.length)]!;
  if (mutant[at]! >= 0x81 && at + 1 < mutant.length) mutant[at + 1] = pick(256);
  return { mutant, kind: 'length edit' };
}

/** For PEM, mutate the DER inside the first block, so the decoders behind PEM are reached. */
function mutateFile(bytes: Buffer, random: () => number): { mutant: Buffer; kind: Mutation } {
  const text = bytes.toString('latin1');
  if (!text.includes('-----BEGIN ')) return mutate(bytes, random);
  const [block] = parsePem(bytes);
  const { mutant, kind } = mutate(block!.der, random);
  const headers = Object.entries(block!.headers)
    .map(([k, v]) => `${k}: ${v}\n`)
    .join('');
  const body = mutant.toString('base64').replace(/(.{64})/g, '$1\n');
  const pem = `-----BEGIN ${block!.label}-----\n${headers}${headers ? '\n' : ''}${body}\n-----END ${block!.label}-----\n`;
  return { mutant: Buffer.from(pem, 'latin1'), kind };
}

/** Runs `work`; anything thrown must be a MazeVaultError with a message. */
async function mustEndCleanly(label: string, work: () => unknown): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof MazeVaultError)) {
      throw new Error(`${label}: crashed with ${String(error)}`, { cause: error });
    }
    expect(error.message.trim().length, `${label}: empty message`).toBeGreaterThan(0);
    tally[error.code] = (tally[error.code] ?? 0) + 1;
  }
}

const tally: Record<string, number> = {};
let slowest = 0;

describe('decoding mutated corpus files', () => {
  afterAll(() => {
    const errors = Object.entries(tally)
      .map(([code, count]) => `${code} ${count}`)
      .join(', ');
    console.log(
      `fuzz: ${TARGETS.length * MUTANTS_PER_FILE} mutants, seed ${SEED}; errors: ${errors}; ` +
        `slowest ${slowest} ms`,
    );
  });

  it.each(TARGETS)('never crashes or hangs on mutants of $path', async ({ path, password }) => {
    const original = readFileSync(join(CORPUS, path));
    const random = prng(SEED ^ path.length);

    for (let i = 0; i < MUTANTS_PER_FILE; i++) {
      const { mutant, kind } = mutateFile(original, random);
      const label = `${path} mutant ${i} (${kind})`;
      const started = performance.now();

      await mustEndCleanly(label, async () => {
        const bundle = await decode(mutant, { password });
        for (const cert of bundle.certificates) inspectCertificate(cert.der);
        for (const crl of bundle.crls) inspectCrl(crl);
        for (const csr of bundle.csrs) inspectCsr(csr);
      });
      await mustEndCleanly(`${label} tree`, () => asn1Tree(mutant));

      const elapsed = performance.now() - started;
      slowest = Math.max(slowest, Math.round(elapsed));
      expect(elapsed, `${label} took ${elapsed} ms`).toBeLessThan(TIME_BOUND_MS);
    }
  });

  it('gives TRUNCATED, not a crash, for every prefix of a small certificate', async () => {
    const der = readFileSync(join(CORPUS, 'interop/leaf.der'));
    for (let length = 1; length < der.length; length++) {
      const error = await decode(der.subarray(0, length)).catch((e: unknown) => e);
      expect((error as MazeVaultError).code, `prefix of ${length} bytes`).toBe('TRUNCATED');
    }
  });
});
