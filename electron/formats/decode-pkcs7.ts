// PKCS#7 / CMS certificate bundles (RFC 5652 §5.1 SignedData, usually "degenerate": no signers),
// in DER or in the BER with indefinite lengths that Windows and Apple write.
import { MazeVaultError } from '../../shared/errors';
import { type Bundle, emptyBundle } from './bundle';
import {
  TAG,
  children,
  encoded,
  expect,
  expectChildren,
  is,
  parseDer,
  readOid,
} from './decode-asn1';

const CONTENT_TYPES: Record<string, string> = {
  '1.2.840.113549.1.7.1': 'Data',
  '1.2.840.113549.1.7.2': 'SignedData',
  '1.2.840.113549.1.7.3': 'EnvelopedData (an encrypted message)',
  '1.2.840.113549.1.7.4': 'SignedAndEnvelopedData',
  '1.2.840.113549.1.7.5': 'DigestedData',
  '1.2.840.113549.1.7.6': 'EncryptedData',
  '1.2.840.113549.1.9.16.1.2': 'AuthenticatedData',
};

export function decodePkcs7(der: Buffer, into: Bundle = emptyBundle('pkcs7')): Bundle {
  const root = parseDer(der, true);
  if (root.end < der.length) {
    into.warnings.push(`${der.length - root.end} bytes after the PKCS#7 data were ignored.`);
  }
  const [typeNode, explicit] = expectChildren(root, TAG.SEQUENCE, 'a PKCS#7 ContentInfo');
  const type = readOid(expect(typeNode, TAG.OID, 'the PKCS#7 content type'));
  if (type !== '1.2.840.113549.1.7.2') {
    throw new MazeVaultError(
      'UNSUPPORTED',
      `This PKCS#7 file holds ${CONTENT_TYPES[type] ?? `content of type ${type}`}, not a ` +
        'certificate bundle; MazeVault imports PKCS#7 SignedData bundles (.p7b, .p7c).',
    );
  }

  const wrapper = children(expect(explicit, 0, 'the SignedData content', 'context'));
  const signed = expectChildren(wrapper[0], TAG.SEQUENCE, 'SignedData');
  let skippedCerts = 0;
  for (const field of signed.slice(3)) {
    if (is(field, 0, 'context')) {
      // certificates [0] IMPLICIT CertificateSet: only the plain Certificate choice is ours.
      for (const choice of children(field)) {
        if (is(choice, TAG.SEQUENCE)) into.certificates.push({ der: Buffer.from(encoded(choice)) });
        else skippedCerts++;
      }
    } else if (is(field, 1, 'context')) {
      for (const choice of children(field)) {
        if (is(choice, TAG.SEQUENCE)) into.crls.push(Buffer.from(encoded(choice)));
        else into.warnings.push('A revocation entry that is not an X.509 CRL was skipped.');
      }
    }
  }
  if (skippedCerts > 0) {
    into.warnings.push(`${skippedCerts} attribute or other non-X.509 certificates were skipped.`);
  }
  return into;
}
