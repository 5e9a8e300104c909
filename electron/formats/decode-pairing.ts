// Pairs each private key with its certificate and chain, for containers that do not say so
// themselves: PKCS#12 by localKeyId, then friendly name (RFC 7292 §4.2), and any file by
// matching public keys. The chain is then followed issuer → subject through the file's certs.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { type Bundle, type BundleCertificate } from './bundle';
import { TAG, children, encoded, is, parseDer } from './decode-asn1';

const MAX_CHAIN = 16;

interface CertFacts {
  cert: BundleCertificate;
  issuer: Buffer;
  subject: Buffer;
  spki: Buffer;
}

function certFacts(cert: BundleCertificate): CertFacts | undefined {
  try {
    const tbs = children(children(parseDer(cert.der))[0]!);
    const fields = is(tbs[0], 0, 'context') ? tbs.slice(1) : tbs;
    const [, , issuer, , subject, spki] = fields;
    if (!issuer || !subject || !is(spki, TAG.SEQUENCE)) return undefined;
    return { cert, issuer: encoded(issuer), subject: encoded(subject), spki: encoded(spki!) };
  } catch {
    return undefined;
  }
}

function publicKeyOf(pkcs8: Buffer): Buffer | undefined {
  try {
    const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    return createPublicKey(key).export({ format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
}

export function pairKeysWithCertificates(bundle: Bundle): void {
  const facts = bundle.certificates.map(certFacts).filter((f): f is CertFacts => f !== undefined);

  for (const key of bundle.privateKeys) {
    if (key.chain && key.chain.length > 0) continue;
    let leaf =
      (key.localKeyId && facts.find((f) => f.cert.localKeyId === key.localKeyId)) ||
      (key.friendlyName && facts.find((f) => f.cert.friendlyName === key.friendlyName)) ||
      undefined;
    if (!leaf) {
      const spki = publicKeyOf(key.pkcs8);
      leaf = spki && facts.find((f) => f.spki.equals(spki));
    }
    if (!leaf) continue;

    const chain = [leaf];
    while (chain.length < MAX_CHAIN) {
      const last = chain[chain.length - 1]!;
      if (last.issuer.equals(last.subject)) break;
      const issuer = facts.find((f) => f.subject.equals(last.issuer) && !chain.includes(f));
      if (!issuer) break;
      chain.push(issuer);
    }
    key.chain = chain.map((f) => f.cert.der);
    if (!key.friendlyName && leaf.cert.friendlyName) key.friendlyName = leaf.cert.friendlyName;
  }
}
