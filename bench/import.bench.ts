// Import figures: a 10,000-certificate PEM bundle imported into a vault (one transaction, duplicate
// checks, issuer linking, audit), against OpenSSL merely parsing and printing the same file with
// `openssl crl2pkcs7 -nocrl -certfile BUNDLE | openssl pkcs7 -print_certs -noout`.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { BasicConstraints, Extension, id_ce_basicConstraints } from '@peculiar/asn1-x509';
import { createServices } from '../electron/services';
import {
  assembleSigned,
  buildTbsCertificate,
  newSerialNumber,
} from '../electron/pki/certificate-builder';
import { parseDistinguishedName } from '../electron/pki/names';
import {
  signatureAlgorithmDer,
  signatureAlgorithmIdentifier,
} from '../electron/pki/signature-algorithms';
import { tempVault } from '../electron/testing/temp';
import { printSection, ratio, timeCommand, timeIt } from './measure';

export const IMPORT_BENCH_CERTIFICATES = 10_000;

function basicConstraints(ca: boolean): Extension {
  return new Extension({
    extnID: id_ce_basicConstraints,
    critical: true,
    extnValue: new OctetString(AsnConvert.serialize(new BasicConstraints({ cA: ca }))),
  });
}

function toPem(der: Buffer): string {
  const body = der.toString('base64').replace(/.{64}/g, '$&\n').trimEnd();
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}

/** A CA and `count` leaves it signed, all with one P-256 key: quick to make, real to parse. */
export function buildCertificateBundle(count: number): string {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const issuer = parseDistinguishedName('CN=Import Bench CA,O=MazeVault Bench');
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + 365 * 86_400_000);
  const signed = (subject: string, ca: boolean, key: KeyObject): Buffer => {
    const tbs = buildTbsCertificate({
      serial: newSerialNumber(),
      signature: signatureAlgorithmIdentifier('ecdsa-sha256'),
      issuer,
      subject: ca ? issuer : parseDistinguishedName(subject),
      notBefore,
      notAfter,
      spki,
      extensions: [basicConstraints(ca)],
    });
    return assembleSigned(tbs, signatureAlgorithmDer('ecdsa-sha256'), sign('sha256', tbs, key));
  };

  const pems = [toPem(signed('', true, privateKey))];
  for (let i = 0; i < count; i += 1) {
    pems.push(toPem(signed(`CN=leaf-${i}.bench.example`, false, privateKey)));
  }
  return pems.join('');
}

export async function runImportBench(): Promise<void> {
  const { vault, dir, cleanup } = await tempVault('import-bench.mzv');
  try {
    const services = createServices(vault);
    const bundlePath = join(dir, 'bundle.pem');
    const built = await timeIt(() => buildCertificateBundle(IMPORT_BENCH_CERTIFICATES));
    writeFileSync(bundlePath, built.value);
    const bytes = readFileSync(bundlePath);

    const imported = await timeIt(() =>
      services.imports.import([{ name: 'bundle.pem', bytes }], { mode: 'internal' }),
    );
    const { counts } = imported.value;
    if (counts.new !== IMPORT_BENCH_CERTIFICATES + 1 || counts.failed !== 0) {
      throw new Error(`The bench import stored ${counts.new} and failed ${counts.failed}.`);
    }
    const again = await timeIt(() =>
      services.imports.import([{ name: 'bundle.pem', bytes }], { mode: 'internal' }),
    );

    const quoted = `'${bundlePath.replace(/'/g, `'\\''`)}'`;
    const opensslMs = timeCommand(
      'sh',
      ['-c', `openssl crl2pkcs7 -nocrl -certfile ${quoted} | openssl pkcs7 -print_certs -noout`],
      3,
    );
    const total = IMPORT_BENCH_CERTIFICATES + 1;
    printSection(`import (${total} certificates, ${(bytes.length / 1e6).toFixed(1)} MB PEM)`, [
      { name: 'build the bundle (Node crypto, one P-256 key)', value: `${built.ms.toFixed(0)} ms` },
      {
        name: 'import into the vault, one transaction',
        value: `${imported.ms.toFixed(0)} ms`,
        comparison: ratio(imported.ms, opensslMs),
      },
      {
        name: 'import again (all already there)',
        value: `${again.ms.toFixed(0)} ms`,
        comparison: ratio(again.ms, opensslMs),
      },
      {
        name: 'openssl crl2pkcs7 | pkcs7 -print_certs -noout',
        value: `${opensslMs.toFixed(0)} ms`,
      },
      {
        name: 'import rate',
        value: `${((total / imported.ms) * 1000).toFixed(0)} certs/s`,
      },
    ]);
  } finally {
    cleanup();
  }
}
