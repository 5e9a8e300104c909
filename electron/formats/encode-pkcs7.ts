// PKCS#7 "certs-only" bundles (.p7b): a degenerate SignedData with no signers that only carries
// certificates and CRLs (RFC 5652 §5, as Windows and Java read chains).

import { contextConstructed, integer, objectIdentifier, sequence, setOf } from './encode-der';
import { OID } from './encode-oids';

export function encodeCertsOnlyPkcs7(
  certificates: readonly Buffer[],
  crls: readonly Buffer[] = [],
) {
  const signedData = sequence(
    // RFC 5652 §5.1: version 1 when there are no attribute certificates and no signers.
    integer(1),
    setOf(),
    sequence(objectIdentifier(OID.data)),
    // certificates [0] and crls [1] are IMPLICIT SET OF; kept in the order given (leaf first),
    // as OpenSSL and Windows write and read them.
    ...(certificates.length > 0 ? [contextConstructed(0, ...certificates)] : []),
    ...(crls.length > 0 ? [contextConstructed(1, ...crls)] : []),
    setOf(),
  );
  return sequence(objectIdentifier(OID.signedData), contextConstructed(0, signedData));
}
