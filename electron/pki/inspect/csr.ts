// Everything in a PKCS#10 certification request (RFC 2986 §4), as plain JSON.
import { MazeVaultError } from '../../../shared/errors';
import {
  type Asn1Node,
  TAG,
  children,
  encoded,
  is,
  parseDer,
  readBigInt,
  readOid,
} from '../../formats/decode-asn1';
import { loadPublicKey, signatureScheme, verifySignature } from '../validate/signature';
import { type AlgorithmInfo, readAlgorithm } from './algorithm';
import { type ExtensionInfo, readExtensions } from './extensions';
import { type Undecodable, attempt } from './field';
import { decodeString, type NameInfo, readName } from './names';
import { type PublicKeyInfo, readPublicKey } from './public-key';

export interface CsrAttribute {
  oid: string;
  name: string;
  values: string[];
}

export interface CsrInspection {
  kind: 'csr';
  /** RFC 2986 §3: the request is signed with the key it asks a certificate for. */
  signatureValid: boolean;
  /** Why the signature could not be checked at all (an algorithm or key MazeVault does not use). */
  signatureUnchecked?: string;
  version: number | Undecodable;
  subject: NameInfo | Undecodable;
  publicKey: PublicKeyInfo | Undecodable;
  signatureAlgorithm: AlgorithmInfo | Undecodable;
  attributes: CsrAttribute[];
  /** The extensions asked for in an extensionRequest attribute (RFC 2985 §5.4.2). */
  requestedExtensions: ExtensionInfo[];
  problems: string[];
}

const EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
const ATTRIBUTES: Record<string, string> = {
  '1.2.840.113549.1.9.7': 'challengePassword',
  '1.2.840.113549.1.9.2': 'unstructuredName',
  [EXTENSION_REQUEST]: 'extensionRequest',
};

export function inspectCsr(der: Buffer): CsrInspection {
  const root = parseDer(der, true);
  const [infoNode, algorithm, signatureNode] = children(root);
  if (!is(infoNode, TAG.SEQUENCE)) {
    throw new MazeVaultError(
      'MALFORMED',
      'This is not a certificate request: it has no request info.',
    );
  }
  const problems: string[] = [];
  const [versionNode, subjectNode, spkiNode, attributesNode] = children(infoNode!);
  const version = attempt('version', versionNode, problems, (n) => Number(readBigInt(n)) + 1);
  if (version !== 1) problems.push(`version ${JSON.stringify(version)} is not v1 (RFC 2986 §4.1)`);

  const out: CsrInspection = {
    kind: 'csr',
    version,
    subject: attempt('subject', subjectNode, problems, readName),
    publicKey: attempt('public key', spkiNode, problems, readPublicKey),
    signatureAlgorithm: attempt('signature algorithm', algorithm, problems, readAlgorithm),
    ...proofOfPossession(infoNode!, spkiNode, algorithm, signatureNode, problems),
    attributes: [],
    requestedExtensions: [],
    problems,
  };
  if (attributesNode && is(attributesNode, 0, 'context')) {
    attempt('attributes', attributesNode, problems, (node) => {
      for (const attribute of children(node)) readAttribute(attribute, out, problems);
    });
  }
  return out;
}

/** Whether the signature verifies with the request's own key; a problem says why not. */
function proofOfPossession(
  info: Asn1Node,
  spki: Asn1Node | undefined,
  algorithm: Asn1Node | undefined,
  signature: Asn1Node | undefined,
  problems: string[],
): { signatureValid: boolean; signatureUnchecked?: string } {
  if (!spki || !algorithm || !signature || !is(signature, TAG.BIT_STRING)) {
    problems.push('the signature is missing, so nothing proves the requester holds the key');
    return { signatureValid: false };
  }
  // An algorithm or key type MazeVault does not use (DSA, say) is not evidence of tampering.
  const scheme = signatureScheme(encoded(algorithm));
  const key = scheme.ok ? loadPublicKey(encoded(spki)) : undefined;
  const unchecked = !scheme.ok ? scheme.reason : key && !key.ok ? key.reason : undefined;
  if (unchecked) {
    problems.push(
      `the signature could not be checked (${unchecked}); MazeVault will not sign this request. ` +
        "Check it with the requester's tools (openssl req -verify) if it must be used elsewhere",
    );
    return { signatureValid: false, signatureUnchecked: unchecked };
  }
  // A BIT STRING's first content octet counts the unused bits; signatures use whole octets.
  const bits = encoded(signature).subarray(signature.headerLength);
  const outcome =
    bits[0] === 0
      ? verifySignature(encoded(algorithm), encoded(spki), encoded(info), bits.subarray(1))
      : { ok: false as const, reason: 'the signature BIT STRING has unused bits' };
  if (!outcome.ok) {
    problems.push(
      `THE SIGNATURE DOES NOT VERIFY with the request's own public key (${outcome.reason.replace("the issuer's", 'its own')}): ` +
        'the request was altered or damaged after it was signed; do not sign it, ask for a new one',
    );
  }
  return { signatureValid: outcome.ok };
}

function readAttribute(attribute: Asn1Node, out: CsrInspection, problems: string[]): void {
  const [typeNode, valuesNode] = children(attribute);
  const oid = readOid(typeNode!);
  const values = valuesNode ? children(valuesNode) : [];
  if (oid === EXTENSION_REQUEST) {
    for (const value of values) out.requestedExtensions.push(...readExtensions(value, problems));
  }
  if (oid === '1.2.840.113549.1.9.7' && values.length !== 1) {
    problems.push(`challengePassword has ${values.length} values; exactly one is allowed`);
  }
  out.attributes.push({
    oid,
    name: ATTRIBUTES[oid] ?? oid,
    values: values.map((value) => {
      if (oid === EXTENSION_REQUEST) return '(see requestedExtensions)';
      const text = decodeString(value);
      if (!text) problems.push(`${ATTRIBUTES[oid] ?? oid}: a value is not a string`);
      return text?.value ?? encoded(value).toString('hex');
    }),
  });
}
