// Decodes every file of the shared corpus (interop, pyca pkcs12/pkcs7/x509/asymmetric, pyjks) and
// checks it against what the corpus INDEX files say: subjects, fingerprints, counts, key/cert
// pairing, passwords, and the clear error expected of files that are meant to fail. The
// expectations are parsed from the INDEX files, not copied here.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MazeVaultError } from '../../shared/errors';
import { inspectCertificate, inspectCrl } from '../pki/inspect';
import { type Bundle } from './bundle';
import { decode } from './decode';
import { PasswordNeededError } from './decode-errors';
import { CORPUS_DIR } from '../testing/corpus';

const CORPUS = CORPUS_DIR;
const ROOTS = ['interop', 'pyca/pkcs12', 'pyca/pkcs7', 'pyca/x509', 'pyca/asymmetric', 'pyjks'];

interface Row {
  path: string;
  text: string;
}

/** Rows of every "a | b | c" table in a markdown file whose first cell names a file. */
function tableRows(file: string, prefix: string): Row[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.includes(' | ') && !line.startsWith('---') && !line.startsWith('path'))
    .map((line) => line.split(' | ').map((cell) => cell.trim()))
    .filter((cells) => cells[0] !== 'file')
    .flatMap((cells) =>
      cells[0]!
        .split(', ')
        .map((name) => ({ path: prefix + name, text: cells.slice(1).join(' | ') })),
    );
}

const interopIndex = readFileSync(join(CORPUS, 'interop/INDEX.md'), 'utf8');
const sourcesIndex = readFileSync(join(CORPUS, 'INDEX-sources.md'), 'utf8');
const rows = new Map<string, Row>();
for (const row of tableRows(join(CORPUS, 'INDEX-sources.md'), '')) rows.set(row.path, row);
for (const row of tableRows(join(CORPUS, 'interop/INDEX.md'), 'interop/')) rows.set(row.path, row);

const INTEROP_PASSWORD = /Password of every protected file: (\S+?)\./.exec(interopIndex)![1]!;
/** "Passwords: 123456, foobar, baz for the encrypted PKCS#8 / PEM keys" */
const GENERIC_PASSWORDS = /Passwords: ([^.]*?) for the encrypted/
  .exec(sourcesIndex)![1]!
  .split(',')
  .map((p) => p.trim());

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

const files = ROOTS.flatMap((root) => listFiles(join(CORPUS, root)))
  .map((full) => relative(CORPUS, full))
  .filter((path) => !path.includes('/ocsp/')) // OCSP messages are not an import format
  .sort();

/** The password the INDEX gives for a file, undefined when it gives none or says none. */
function passwordFor(path: string, row: Row | undefined): string | undefined {
  if (path.startsWith('interop/')) return INTEROP_PASSWORD;
  if (!row) return undefined;
  const column = row.text.split(' | ')[1]?.trim();
  if (path.startsWith('pyca/pkcs12/') && column && column !== '-') {
    if (/^none/.test(column)) return undefined;
    return column.split(' ')[0];
  }
  const text = row.text;
  if (/password ""|, ""$/.test(text)) return '';
  if (/password U\+/.test(text)) {
    return String.fromCodePoint(
      ...[...text.matchAll(/U\+([0-9A-F]{4})/g)].map((m) => parseInt(m[1]!, 16)),
    );
  }
  const store = /store(?: password)? (\w+)/.exec(text);
  if (store) return store[1];
  const quoted = /password "([^"]+)"/.exec(text);
  if (quoted) return quoted[1];
  const plain = /password (\w+)/.exec(text) ?? /, (\w+)$/.exec(text.split(' | ')[0]!);
  return plain?.[1] === 'None' ? undefined : plain?.[1];
}

function isTextFile(path: string): boolean {
  return /\.(md|txt)$|LICENSE$/.test(path);
}

const summary = { decoded: 0, expectedErrors: 0, checks: 0 };

async function decodeWithIndexPasswords(bytes: Buffer, password: string | undefined) {
  try {
    return await decode(bytes, { password });
  } catch (error) {
    // Undocumented encrypted pyca keys use one of the passwords the INDEX lists for them all.
    if (!(error instanceof PasswordNeededError) || password !== undefined) throw error;
    for (const candidate of GENERIC_PASSWORDS) {
      try {
        return await decode(bytes, { password: candidate });
      } catch (retry) {
        if (!(retry instanceof PasswordNeededError)) throw retry;
      }
    }
    throw error;
  }
}

function subjects(bundle: Bundle): string[] {
  return bundle.certificates.map((c) => {
    const subject = inspectCertificate(c.der).subject;
    return 'rfc4514' in subject ? subject.rfc4514 : '?';
  });
}

function sha256s(bundle: Bundle): string[] {
  return bundle.certificates.map((c) => inspectCertificate(c.der).fingerprints.sha256);
}

function publicKeyOfPrivate(pkcs8: Buffer): Buffer {
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  return createPublicKey(key).export({ format: 'der', type: 'spki' });
}

function certificatePublicKey(der: Buffer): Buffer {
  const pem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64')}\n-----END CERTIFICATE-----\n`;
  return createPublicKey(pem).export({ format: 'der', type: 'spki' });
}

/** What the INDEX text says a file must give, checked on the decoded bundle. */
function checkExpectations(path: string, text: string, bundle: Bundle): void {
  for (const match of text.matchAll(/subject `([^`]+)`/g)) {
    expect(subjects(bundle), `${path} subject`).toContain(match[1]);
    summary.checks++;
  }
  for (const match of text.matchAll(/SHA-256 fingerprint ([0-9A-F:]{95})/g)) {
    expect(sha256s(bundle), `${path} fingerprint`).toContain(match[1]);
    summary.checks++;
  }
  if (/same fingerprint as (\S+)/.test(text)) {
    const other = /same fingerprint as (\S+)/.exec(text)![1]!;
    const otherText = rows.get(`interop/${other}`)!.text;
    const fp = /SHA-256 fingerprint ([0-9A-F:]{95})/.exec(otherText)![1];
    expect(sha256s(bundle)).toContain(fp);
    summary.checks++;
  }
  const certCount = /(\d+) (?:certificates|trusted certs|trusted-cert entries|roots)\b/.exec(text);
  if (certCount && !/chain/.test(text.split('|')[0]!)) {
    expect(bundle.certificates.length, `${path} certificate count`).toBe(Number(certCount[1]));
    summary.checks++;
  }
  const revoked =
    /^(\d+) entries/.exec(text.split(' | ')[1] ?? '') ??
    /LARGE CRL with ([\d,]+) entries/.exec(text);
  if (revoked) {
    const crl = inspectCrl(bundle.crls[0]!);
    expect(crl.revokedCount, `${path} revoked entries`).toBe(Number(revoked[1]!.replace(',', '')));
    summary.checks++;
  }
  const withChain = /(\d+)-cert(?:ificate)? chain|key \+ (leaf, int, root|chain)/.exec(text);
  if (withChain) {
    const expected = withChain[1] ? Number(withChain[1]) : 3;
    expect(bundle.privateKeys, `${path} keys`).toHaveLength(1);
    expect(bundle.privateKeys[0]!.chain, `${path} chain`).toHaveLength(expected);
    summary.checks++;
  }
  if (/matches|key \+|cert\+key|cert\/key/.test(text) && bundle.privateKeys.length > 0) {
    // Every key the container pairs with a certificate must be that certificate's key.
    for (const key of bundle.privateKeys) {
      const leaf = key.chain?.[0];
      if (leaf) {
        expect(
          publicKeyOfPrivate(key.pkcs8).equals(certificatePublicKey(leaf)),
          `${path} pairing`,
        ).toBe(true);
        summary.checks++;
      }
    }
  }
  const unicode = /unicode names ([^)]*) in \*unicode\*/.exec(text);
  if (unicode && path.includes('unicode')) {
    const expected = unicode[1]!.split(/[\s/]+/).filter(Boolean);
    const names = [...bundle.certificates, ...bundle.privateKeys].map((x) => x.friendlyName ?? '');
    expect(
      names.some((n) => expected.some((c) => n.includes(c))),
      `${path} names ${names}`,
    ).toBe(true);
    summary.checks++;
  }
  if (/RC2/.test(text.split(' | ')[0]!)) {
    expect(bundle.warnings.join(' '), `${path} legacy warning`).toMatch(/RC2/);
    summary.checks++;
  }
  const matchesFile = /matches (\S+\.pem)/.exec(text);
  if (matchesFile) {
    const certificate = readFileSync(join(CORPUS, 'interop', matchesFile[1]!), 'utf8');
    expect(
      publicKeyOfPrivate(bundle.privateKeys[0]!.pkcs8).equals(
        createPublicKey(certificate).export({ format: 'der', type: 'spki' }),
      ),
    ).toBe(true);
    summary.checks++;
  }
}

/** The error a file that is meant to fail must give, from its INDEX description. */
function expectedFailure(path: string, text: string): RegExp | undefined {
  if (isTextFile(path)) return /MALFORMED/;
  if (/\/(bks|uber)\//.test(path)) return /UNSUPPORTED/;
  const description = text.split(' | ')[0]!;
  // Bare public keys and parameters (certificates are never "only a public key").
  if (!path.startsWith('pyca/x509/')) {
    if (/^([\w-]+ )?public key\b|DSA parameters only/i.test(description)) return /UNSUPPORTED/;
    if (/\.pub\.|-pub\.|_public_key/.test(path)) return /UNSUPPORTED/;
  }
  // Files named for what is wrong with them, with no description in the INDEX.
  if (/bad-encryption-oid/.test(path)) return /UNSUPPORTED/;
  if (/tbs-precert/.test(path)) return /MALFORMED/;
  if (/key password .*DIFFERENT/.test(text)) return /WRONG_PASSWORD/;
  // With the store password alone, a key under its own password is asked for by alias.
  if (/private_password \(key\)/.test(text)) return /WRONG_PASSWORD/;
  if (/EnvelopedData/.test(text)) return /UNSUPPORTED/;
  if (/INVALID: duplicate aliases|INVALID duplicate aliases/.test(text)) return /MALFORMED/;
  return undefined;
}

describe('the shared corpus', () => {
  afterAll(() => {
    console.log(
      `corpus: ${summary.decoded} files decoded, ${summary.expectedErrors} gave their expected ` +
        `clear error, ${summary.checks} INDEX expectations checked, of ${files.length} files`,
    );
  });

  it('lists an INDEX row for every binary file it decodes', () => {
    const missing = files.filter((path) => !isTextFile(path) && !rows.has(path));
    expect(missing).toEqual([]);
  });

  it.each(files)('decodes %s as its INDEX says', async (path) => {
    const row = rows.get(path);
    const text = row?.text ?? '';
    const bytes = readFileSync(join(CORPUS, path));
    const failure = expectedFailure(path, text);
    const password = passwordFor(path, row);

    let bundle: Bundle;
    try {
      bundle = await decodeWithIndexPasswords(bytes, password);
    } catch (error) {
      expect(error, `${path} threw a non-MazeVault error`).toBeInstanceOf(MazeVaultError);
      const { code, message } = error as MazeVaultError;
      expect(message.length).toBeGreaterThan(20);
      if (failure) {
        expect(code, `${path}: ${message}`).toMatch(failure);
        summary.expectedErrors++;
        return;
      }
      throw new Error(`${path} failed unexpectedly: ${code}: ${message}`, { cause: error });
    }

    expect(failure, `${path} decoded but its INDEX says it must fail`).toBeUndefined();
    summary.decoded++;
    const total =
      bundle.certificates.length +
      bundle.privateKeys.length +
      bundle.crls.length +
      bundle.csrs.length;
    const emptyStore = /empty|0 entries/.test(text);
    const secretOnly =
      /SECRET|secret|INVALID/.test(text) && bundle.warnings.some((w) => /secret-key/.test(w));
    expect(total > 0 || emptyStore || secretOnly, `${path} decoded to nothing`).toBe(true);
    checkExpectations(path, text, bundle);
  });

  it('asks for the key password of the JKS entry whose password differs from the store', async () => {
    const path = 'pyjks/tests/keystores/jks/custom_entry_passwords.jks';
    const text = rows.get(path)!.text;
    const store = /store password (\w+)/.exec(text)![1]!;
    const key = /key password (\w+)/.exec(text)![1]!;
    const bytes = readFileSync(join(CORPUS, path));

    const error = await decode(bytes, { password: store }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PasswordNeededError);
    const target = (error as PasswordNeededError).target;
    expect(target.kind).toBe('key');
    const alias = target.kind === 'key' ? target.alias : '';
    expect((error as Error).message).toContain(alias);

    const bundle = await decode(bytes, { password: store, keyPasswords: { [alias]: key } });
    expect(bundle.privateKeys).toHaveLength(1);
    expect(bundle.privateKeys[0]!.alias).toBe(alias);
  });

  it('says wrong password, not something else, for a wrong password on each protected interop file', async () => {
    for (const name of [
      'leaf-openssl3-default.p12',
      'leaf-legacy-rc2-3des.p12',
      'keystore.jks',
      'leaf-pkcs8-aes256.pem',
    ]) {
      const error = await decode(readFileSync(join(CORPUS, 'interop', name)), {
        password: 'not-it',
      }).catch((e: unknown) => e);
      expect((error as MazeVaultError).code, name).toBe('WRONG_PASSWORD');
    }
  });
});
