// CRLs (RFC 5280 §5) read for revocation checking in §6.3: who issued it, when it is current,
// and which serial numbers it lists with which reason. Complete CRLs only; delta CRLs and
// indirect CRLs are recognised and set aside rather than misread.
import {
  DER_TAG,
  DerError,
  children,
  decodeBoolean,
  decodeOid,
  decodeTime,
  expectTag,
  readOnly,
  type DerNode,
} from './der';
import { formatName, parseName, type DistinguishedName } from './distinguished-name';

export const CRL_REASONS: Record<number, string> = {
  0: 'unspecified',
  1: 'keyCompromise',
  2: 'cACompromise',
  3: 'affiliationChanged',
  4: 'superseded',
  5: 'cessationOfOperation',
  6: 'certificateHold',
  8: 'removeFromCRL',
  9: 'privilegeWithdrawn',
  10: 'aACompromise',
};

export interface RevokedEntry {
  serialHex: string;
  revocationDate: Date;
  reason?: string;
}

export interface ParsedCrl {
  der: Buffer;
  tbs: Buffer;
  tbsSignatureAlgorithm: Buffer;
  signatureAlgorithm: Buffer;
  signature: Buffer;
  issuer: DistinguishedName;
  issuerText: string;
  thisUpdate: Date;
  nextUpdate?: Date;
  revoked: RevokedEntry[];
  /** Why this CRL cannot be used for a complete revocation answer, if it cannot. */
  unusable?: string;
  onlyUserCerts: boolean;
  onlyCaCerts: boolean;
}

const CRL_EXT = {
  crlNumber: '2.5.29.20',
  authorityKeyIdentifier: '2.5.29.35',
  issuingDistributionPoint: '2.5.29.28',
  deltaCrlIndicator: '2.5.29.27',
  reasonCode: '2.5.29.21',
  invalidityDate: '2.5.29.24',
  certificateIssuer: '2.5.29.29',
};

interface RawExtension {
  oid: string;
  critical: boolean;
  value: Buffer;
}

function readExtensions(sequence: DerNode): RawExtension[] {
  return children(expectTag(sequence, DER_TAG.SEQUENCE, 'CRL extensions')).map((ext) => {
    const parts = children(ext);
    const critical = parts.length === 3 ? decodeBoolean(parts[1]) : false;
    return { oid: decodeOid(parts[0]), critical, value: parts[parts.length - 1].value };
  });
}

/** RFC 5280 §5.2.5 IssuingDistributionPoint; the fields that change what the CRL covers. */
function readIssuingDistributionPoint(value: Buffer, crl: ParsedCrl): void {
  for (const field of children(readOnly(value))) {
    const flag = field.value.length === 1 && field.value[0] === 0xff;
    if (field.tag === 0x81) crl.onlyUserCerts = flag;
    else if (field.tag === 0x82) crl.onlyCaCerts = flag;
    else if (field.tag === 0x83 || field.tag === 0xa3) {
      crl.unusable ??= 'it covers only some revocation reasons (a partitioned CRL)';
    } else if (field.tag === 0x84 && flag) crl.unusable ??= 'it is an indirect CRL';
  }
}

function readEntry(node: DerNode, crl: ParsedCrl): RevokedEntry {
  const [serial, date, extensions] = children(expectTag(node, DER_TAG.SEQUENCE, 'a CRL entry'));
  const entry: RevokedEntry = {
    serialHex: expectTag(serial, DER_TAG.INTEGER, 'a revoked serial').value.toString('hex'),
    revocationDate: decodeTime(date),
  };
  for (const ext of extensions ? readExtensions(extensions) : []) {
    if (ext.oid === CRL_EXT.reasonCode) {
      const code = readOnly(ext.value);
      expectTag(code, DER_TAG.ENUMERATED, 'a reason code');
      entry.reason = CRL_REASONS[code.value[0]] ?? `reason ${code.value[0]}`;
    } else if (ext.oid === CRL_EXT.certificateIssuer) {
      crl.unusable ??= 'it names other certificate issuers in its entries (indirect CRL)';
    } else if (ext.critical && ext.oid !== CRL_EXT.invalidityDate) {
      crl.unusable ??= `an entry carries the unknown critical extension ${ext.oid}`;
    }
  }
  return entry;
}

/** Parses a DER (or PEM) CRL; throws DerError when its structure is broken. */
export function parseCrl(der: Buffer): ParsedCrl {
  const top = children(expectTag(readOnly(der), DER_TAG.SEQUENCE, 'the CRL'));
  if (top.length !== 3) throw new DerError('the CRL is not TBS, algorithm and signature');
  const [tbsNode, outerAlgorithm, signatureNode] = top;
  const fields = children(expectTag(tbsNode, DER_TAG.SEQUENCE, 'the to-be-signed CRL'));
  let i = fields[0]?.tag === DER_TAG.INTEGER ? 1 : 0;
  const innerAlgorithm = fields[i++];
  const issuer = parseName(fields[i++]);
  const thisUpdate = decodeTime(fields[i++]);
  let nextUpdate: Date | undefined;
  const next = fields[i];
  if (next && (next.tag === DER_TAG.UTC_TIME || next.tag === DER_TAG.GENERALIZED_TIME)) {
    nextUpdate = decodeTime(next);
    i += 1;
  }
  const crl: ParsedCrl = {
    der,
    tbs: Buffer.from(tbsNode.raw),
    tbsSignatureAlgorithm: Buffer.from(innerAlgorithm.raw),
    signatureAlgorithm: Buffer.from(outerAlgorithm.raw),
    signature: expectTag(signatureNode, DER_TAG.BIT_STRING, 'the CRL signature').value.subarray(1),
    issuer,
    issuerText: formatName(issuer),
    thisUpdate,
    nextUpdate,
    revoked: [],
    onlyUserCerts: false,
    onlyCaCerts: false,
  };
  for (const field of fields.slice(i)) {
    if (field.tag === DER_TAG.SEQUENCE) {
      crl.revoked = children(field).map((entry) => readEntry(entry, crl));
    } else if (field.tag === 0xa0) {
      for (const ext of readExtensions(children(field)[0])) {
        if (ext.oid === CRL_EXT.issuingDistributionPoint) {
          readIssuingDistributionPoint(ext.value, crl);
        } else if (ext.oid === CRL_EXT.deltaCrlIndicator) {
          crl.unusable ??= 'it is a delta CRL, and only complete CRLs are read';
        } else if (
          ext.critical &&
          ext.oid !== CRL_EXT.crlNumber &&
          ext.oid !== CRL_EXT.authorityKeyIdentifier
        ) {
          crl.unusable ??= `it carries the unknown critical extension ${ext.oid}`;
        }
      }
    } else {
      throw new DerError('the to-be-signed CRL has an unknown field');
    }
  }
  return crl;
}
