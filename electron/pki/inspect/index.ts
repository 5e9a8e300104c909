// The inspector's public surface: certificates, CSRs, CRLs, raw ASN.1, and whole files.
export {
  type CertificateInspection,
  type Fingerprints,
  type SerialInfo,
  fingerprints,
  inspectCertificate,
} from './certificate';
export { type CsrInspection, inspectCsr } from './csr';
export { type CrlInspection, type RevokedEntry, inspectCrl } from './crl';
export { type Asn1TreeNode, asn1Tree } from './asn1-tree';
export { type FileInspection, type PrivateKeySummary, inspectFile } from './file';
export { type NameInfo, type NameAttribute } from './names';
export { type PublicKeyInfo } from './public-key';
export { type ExtensionInfo } from './extensions';
export { type AlgorithmInfo, type PssParameters } from './algorithm';
export { type TimeInfo } from './time';
export { type Undecodable, isUndecodable } from './field';
