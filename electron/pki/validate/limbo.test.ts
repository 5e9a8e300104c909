// x509-limbo (C2SP) as the yardstick: every case whose features we claim must agree with its
// expected_result. Exclusions live in limbo-unclaimed.md, one row per case with the reason.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { validatePath } from './validate';
import type { KeyUsageName, Purpose, ValidationInput } from './types';
import { corpusPath } from '../../testing/corpus';

const HERE = dirname(fileURLToPath(import.meta.url));
const LIMBO = corpusPath('x509-limbo', 'limbo.json');

const UNCLAIMED_FEATURES = new Set(['pedantic-webpki-eku', 'rfc5280-incompatible-with-webpki']);

interface LimboCase {
  id: string;
  features: string[] | null;
  validation_kind: 'SERVER' | 'CLIENT';
  trusted_certs: string[];
  untrusted_intermediates: string[];
  peer_certificate: string;
  validation_time: string | null;
  signature_algorithms: string[] | null;
  key_usage: KeyUsageName[] | null;
  extended_key_usage: string[] | null;
  expected_result: 'SUCCESS' | 'FAILURE';
  expected_peer_name: { kind: 'DNS' | 'IP' | 'RFC822'; value: string } | null;
  max_chain_depth: number | null;
}

const EKU_TO_PURPOSE: Record<string, Purpose> = {
  serverAuth: 'server-auth',
  clientAuth: 'client-auth',
  codeSigning: 'code-signing',
  emailProtection: 'email-protection',
  timeStamping: 'time-stamping',
  OCSPSigning: 'ocsp-signing',
  anyExtendedKeyUsage: 'any',
};

function unclaimedIds(): Map<string, string> {
  const text = readFileSync(join(HERE, 'limbo-unclaimed.md'), 'utf8');
  const rows = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^\| `([^`]+)` *\| (.+?) *\|$/.exec(line);
    if (match) rows.set(match[1], match[2]);
  }
  return rows;
}

/** Turns a limbo testcase into our input; limbo says "now" when validation_time is null. */
function toInput(tc: LimboCase): ValidationInput {
  const ekus = tc.extended_key_usage ?? [];
  if (ekus.length > 1) throw new Error(`${tc.id}: several purposes at once are not modelled`);
  const purpose: Purpose =
    ekus.length === 1
      ? EKU_TO_PURPOSE[ekus[0]]
      : tc.validation_kind === 'SERVER'
        ? 'server-auth'
        : 'client-auth';
  return {
    leaf: Buffer.from(tc.peer_certificate),
    intermediates: tc.untrusted_intermediates.map((pem) => Buffer.from(pem)),
    trustAnchors: tc.trusted_certs.map((pem) => Buffer.from(pem)),
    at: tc.validation_time ? new Date(tc.validation_time) : new Date(),
    purpose,
    peerName: tc.expected_peer_name ?? undefined,
    maxDepth: tc.max_chain_depth ?? undefined,
    requiredKeyUsage: tc.key_usage ?? undefined,
  };
}

const corpusPresent = existsSync(LIMBO);
const cases: LimboCase[] = corpusPresent
  ? (JSON.parse(readFileSync(LIMBO, 'utf8')) as { testcases: LimboCase[] }).testcases
  : [];
const unclaimed = unclaimedIds();
const claimed = cases.filter((tc) => !unclaimed.has(tc.id));
let agreed = 0;

describe('x509-limbo', () => {
  it('has the corpus in place beside the repository', () => {
    expect(corpusPresent, `expected ${LIMBO}`).toBe(true);
    expect(cases.length).toBeGreaterThan(100);
  });

  it('lists in limbo-unclaimed.md only cases that exist, and every case with an unclaimed feature', () => {
    const ids = new Set(cases.map((tc) => tc.id));
    for (const id of unclaimed.keys()) expect(ids.has(id), `${id} is not in the corpus`).toBe(true);
    for (const tc of cases) {
      if ((tc.features ?? []).some((f) => UNCLAIMED_FEATURES.has(f))) {
        expect(unclaimed.has(tc.id), `${tc.id} has an unclaimed feature`).toBe(true);
      }
      expect(tc.signature_algorithms, `${tc.id} restricts signature algorithms`).toBeNull();
    }
  });

  it.each(claimed.map((tc) => [tc.id, tc] as const))('agrees on %s', (_id, tc) => {
    const started = Date.now();
    const result = validatePath(toInput(tc));
    const verdict = result.valid ? 'SUCCESS' : 'FAILURE';
    expect(verdict, result.firstFailure ?? 'the path was accepted').toBe(tc.expected_result);
    // A verdict always carries its reasons: failures name a failed check, successes have none.
    expect(result.checks.some((c) => !c.ok)).toBe(!result.valid);
    expect(result.valid ? result.firstFailure : typeof result.firstFailure).toBe(
      result.valid ? undefined : 'string',
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    agreed += 1;
  });

  afterAll(() => {
    // The figure the issue asks for; printed so CI logs carry it.
    console.log(
      `x509-limbo: ${agreed}/${claimed.length} claimed cases agree ` +
        `(${cases.length} total, ${cases.length - claimed.length} unclaimed)`,
    );
  });
});
