// PKCS#12 (RFC 7292) as OpenSSL 3 lays it out: one encrypted SafeContents with the certificates,
// one plain SafeContents with the shrouded keys, and a password MAC over both. Two profiles:
// 'aes256-sha256' (PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC bags, HMAC-SHA256 MAC), read by OpenSSL
// 1.1.1+, Java 8u301+ and Windows Server 2019+; 'legacy-3des-sha1' (pbeWithSHAAnd3-KeyTripleDES-CBC
// bags, HMAC-SHA1 MAC) for older Windows and appliances.

import { createHash, createHmac, randomBytes } from 'node:crypto';

import {
  algorithmIdentifier,
  bmpString,
  contextConstructed,
  contextPrimitive,
  integer,
  nullValue,
  objectIdentifier,
  octetString,
  sequence,
  setOf,
} from './encode-der';
import type { KeystoreContents } from './encode-keystore';
import { OID } from './encode-oids';
import { encryptWith, type PbeScheme } from './encode-pbe';
import { derivePkcs12Key, PKCS12_KDF_PURPOSE, pkcs12PasswordBytes } from './encode-pkcs12-kdf';

export type Pkcs12Profile = 'aes256-sha256' | 'legacy-3des-sha1';

export interface Pkcs12Options {
  profile: Pkcs12Profile;
  /** Iterations of the bag encryption KDF and of the MAC KDF alike: the MAC is as guessable. */
  iterations: number;
}

const PROFILES: Record<
  Pkcs12Profile,
  { scheme: PbeScheme; macHash: 'sha1' | 'sha256'; macSaltBytes: number }
> = {
  'aes256-sha256': { scheme: 'pbes2-aes256', macHash: 'sha256', macSaltBytes: 16 },
  'legacy-3des-sha1': { scheme: 'pkcs12-3des', macHash: 'sha1', macSaltBytes: 8 },
};

/** RFC 2985 §5.2: Attribute ::= SEQUENCE { type, values SET OF value }. */
function attribute(oid: string, value: Buffer): Buffer {
  return sequence(objectIdentifier(oid), setOf(value));
}

/** RFC 7292 §4.2: SafeBag ::= SEQUENCE { bagId, [0] EXPLICIT bagValue, bagAttributes OPTIONAL }. */
function safeBag(bagId: string, value: Buffer, attributes: Buffer[]): Buffer {
  return sequence(
    objectIdentifier(bagId),
    contextConstructed(0, value),
    ...(attributes.length > 0 ? [setOf(...attributes)] : []),
  );
}

function certBag(certificate: Buffer, attributes: Buffer[]): Buffer {
  const value = sequence(
    objectIdentifier(OID.x509Certificate),
    contextConstructed(0, octetString(certificate)),
  );
  return safeBag(OID.certBag, value, attributes);
}

/** RFC 5652 §4: ContentInfo of type data, the content an OCTET STRING. */
function dataContentInfo(content: Buffer): Buffer {
  return sequence(objectIdentifier(OID.data), contextConstructed(0, octetString(content)));
}

/** RFC 5652 §8: EncryptedData, version 0, carrying SafeContents. */
function encryptedDataContentInfo(algorithm: Buffer, ciphertext: Buffer): Buffer {
  const encryptedContentInfo = sequence(
    objectIdentifier(OID.data),
    algorithm,
    contextPrimitive(0, ciphertext),
  );
  return sequence(
    objectIdentifier(OID.encryptedData),
    contextConstructed(0, sequence(integer(0), encryptedContentInfo)),
  );
}

export async function encodePkcs12(
  contents: KeystoreContents,
  password: string,
  options: Pkcs12Options,
): Promise<Buffer> {
  const { scheme, macHash, macSaltBytes } = PROFILES[options.profile];
  const { iterations } = options;

  const keyBags: Buffer[] = [];
  const certBags: Buffer[] = [];
  const written = new Set<string>();
  for (const entry of contents.keys) {
    // OpenSSL's convention: localKeyId is the SHA-1 of the key's certificate.
    const localKeyId = createHash('sha1').update(entry.chain[0]!).digest();
    const attributes = [
      attribute(OID.friendlyName, bmpString(entry.alias)),
      attribute(OID.localKeyId, octetString(localKeyId)),
    ];
    const shrouded = await encryptWith(scheme, entry.privateKey, password, iterations);
    keyBags.push(
      safeBag(
        OID.pkcs8ShroudedKeyBag,
        sequence(shrouded.algorithm, octetString(shrouded.ciphertext)),
        attributes,
      ),
    );

    entry.chain.forEach((certificate, index) => {
      const fingerprint = createHash('sha256').update(certificate).digest('hex');
      if (index > 0 && written.has(fingerprint)) return;
      written.add(fingerprint);
      certBags.push(certBag(certificate, index === 0 ? attributes : []));
    });
  }
  for (const entry of contents.trusted) {
    // Java lists a certificate as a trustedCertEntry only with Oracle's trusted-usage attribute.
    certBags.push(
      certBag(entry.certificate, [
        attribute(OID.friendlyName, bmpString(entry.alias)),
        attribute(OID.oracleTrustedKeyUsage, objectIdentifier(OID.anyExtendedKeyUsage)),
      ]),
    );
  }

  const safes: Buffer[] = [];
  if (certBags.length > 0) {
    const encrypted = await encryptWith(scheme, sequence(...certBags), password, iterations);
    safes.push(encryptedDataContentInfo(encrypted.algorithm, encrypted.ciphertext));
  }
  if (keyBags.length > 0) safes.push(dataContentInfo(sequence(...keyBags)));
  const authenticatedSafe = sequence(...safes);

  // RFC 7292 §5.1 and §B.4: HMAC keyed by the PKCS#12 KDF (ID 3) over the AuthenticatedSafe.
  const macSalt = randomBytes(macSaltBytes);
  const macKeyBytes = macHash === 'sha256' ? 32 : 20;
  const macKey = await derivePkcs12Key(
    macHash,
    pkcs12PasswordBytes(password),
    macSalt,
    iterations,
    PKCS12_KDF_PURPOSE.mac,
    macKeyBytes,
  );
  const mac = createHmac(macHash, macKey).update(authenticatedSafe).digest();
  const digestOid = macHash === 'sha256' ? OID.sha256 : OID.sha1;
  const macData = sequence(
    sequence(algorithmIdentifier(digestOid, nullValue()), octetString(mac)),
    octetString(macSalt),
    integer(iterations),
  );

  return sequence(integer(3), dataContentInfo(authenticatedSafe), macData);
}
