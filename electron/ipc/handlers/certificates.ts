// The certificate inventory and issuance: list, inspect, create a root, issue a subordinate CA and
// end-entity certificates. Issuance runs in the PKI services; this file only translates.
import type { KeySource as ContractKeySource } from '../../../shared/contract';
import type { CertificateRecord, CertificateService } from '../../pki/certificates';
import type { KeySource } from '../../pki/issuance';
import type { Services } from '../../services';
import type { HandlerGroup } from '../handler';
import { tokenPlacement } from '../token-store';
import { toKeyDto } from '../views/key-view';
import { toCertificateDetail, toCertificateSummary } from '../views/certificate-view';
import type { CertificateDetail } from '../../../shared/contract';

type CertificateChannels =
  | 'certificates:list'
  | 'certificates:get'
  | 'ca:create-root'
  | 'ca:issue-subordinate'
  | 'certificates:issue-end-entity';

/** Same bound as the certificate service: a loop of issuers in a damaged vault must end. */
const MAX_CHAIN_LENGTH = 16;

function chainOf(certificates: CertificateService, leaf: CertificateRecord): CertificateRecord[] {
  const chain = [leaf];
  let issuerId = leaf.issuerCertId;
  while (issuerId && chain.length < MAX_CHAIN_LENGTH && !chain.some((c) => c.id === issuerId)) {
    const issuer = certificates.find(issuerId);
    if (!issuer) break;
    chain.push(issuer);
    issuerId = issuer.issuerCertId;
  }
  return chain;
}

export function certificateDetailOf(services: Services, id: string): CertificateDetail {
  const record = services.certificates.get(id);
  const der = services.certificates.der(id);
  return toCertificateDetail(record, der, chainOf(services.certificates, record));
}

/** A new key on an HSM token needs its token present, logged in and able to make that key. */
async function toIssuanceKey(services: Services, source: ContractKeySource): Promise<KeySource> {
  if (source.kind === 'existing') return { keyId: source.keyId };
  const placement =
    source.provider === 'pkcs11'
      ? await tokenPlacement(services, source.token, source.algorithm)
      : undefined;
  return {
    algorithm: source.algorithm,
    provider: source.provider,
    ...(source.label ? { label: source.label } : {}),
    ...(placement ? { providerOptions: placement } : {}),
  };
}

export const certificateHandlers: HandlerGroup<CertificateChannels> = {
  'certificates:list': ({ search, caOnly, issuerId }, { app }) => {
    const records = app.unlockedServices().certificates.list({
      ...(search ? { search } : {}),
      ...(caOnly ? { isCa: true } : {}),
      ...(issuerId ? { issuerCertId: issuerId } : {}),
    });
    const now = new Date();
    return { certificates: records.map((record) => toCertificateSummary(record, now)) };
  },

  'certificates:get': ({ id }, { app }) => certificateDetailOf(app.unlockedServices(), id),

  'ca:create-root': async (request, { app, progress }) => {
    const services = app.unlockedServices();
    progress('Generating the root CA key and self-signing its certificate');
    const result = await services.issuance.createRoot({
      subject: request.subject,
      key: await toIssuanceKey(services, request.key),
      validity: request.validity,
      ...(request.pathLength !== undefined ? { pathLen: request.pathLength } : {}),
      ...(request.override ? { override: request.override } : {}),
    });
    return {
      certificate: certificateDetailOf(services, result.certificate.id),
      key: toKeyDto(result.key),
    };
  },

  'ca:issue-subordinate': async (request, { app, progress }) => {
    const services = app.unlockedServices();
    progress('Generating the subordinate CA key and signing its certificate');
    const result = await services.issuance.issueSubordinate({
      issuerCertId: request.issuerId,
      subject: request.subject,
      key: await toIssuanceKey(services, request.key),
      validity: request.validity,
      ...(request.pathLength !== undefined ? { pathLen: request.pathLength } : {}),
      ...(request.crlDistributionPoint
        ? { crlDistributionPoint: request.crlDistributionPoint }
        : {}),
      ...(request.override ? { override: request.override } : {}),
    });
    return {
      certificate: certificateDetailOf(services, result.certificate.id),
      key: toKeyDto(result.key),
    };
  },

  'certificates:issue-end-entity': async (request, { app, progress }) => {
    const services = app.unlockedServices();
    const { source } = request;
    progress(
      source.kind === 'csr' ? 'Checking the CSR and signing' : 'Generating the key and signing',
    );
    const result = await services.issuance.issueEndEntity({
      issuerCertId: request.issuerId,
      profile: request.profile,
      ...(request.subject ? { subject: request.subject } : {}),
      sans: request.subjectAltNames,
      validity: request.validity,
      ...(source.kind === 'csr'
        ? { csr: Buffer.from(source.pem.trim(), 'utf8') }
        : { key: await toIssuanceKey(services, { ...source, kind: 'new' }) }),
      ...(request.crlDistributionPoint
        ? { crlDistributionPoint: request.crlDistributionPoint }
        : {}),
      ...(request.override ? { override: request.override } : {}),
    });
    return {
      certificate: certificateDetailOf(services, result.certificate.id),
      key: result.key ? toKeyDto(result.key) : null,
    };
  },
};
