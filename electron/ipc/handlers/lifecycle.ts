// Handlers for renewal, revocation, CRLs and the lifecycle lists (issue #5). The lifecycle
// services decide and audit; this file translates requests and results, and writes CRL exports.
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import {
  CERTIFICATE_LIST_STATUSES,
  CERTIFICATE_SORT_FIELDS,
  COMPROMISE_PLAN_LIST_LIMIT,
  EXPIRING_WITHIN_DAYS,
  KEY_POLICIES,
  KEY_SORT_FIELDS,
  type CertificateRow,
  type CrlDto,
  type CrlPolicyDto,
  type KeyRow,
} from '../../../shared/bridge/lifecycle-dto';
import type { LifecycleChannel } from '../../../shared/bridge/lifecycle-names';
import type { KeyAlgorithm } from '../../../shared/algorithms';
import type { KeyPurpose } from '../../../shared/cryptoperiods';
import { MazeVaultError } from '../../../shared/errors';
import { isRevocationReason } from '../../../shared/revocation-reasons';
import type { CrlPolicy, CrlRecord } from '../../pki/crl';
import type * as dashboard from '../../pki/dashboard';
import type { CertificateListRow, KeyListRow } from '../../pki/dashboard';
import type { KEY_POLICIES as SERVICE_KEY_POLICIES } from '../../pki/renewal';
import type { ProviderKind } from '../../providers/provider';
import type { HandlerGroup } from '../handler';
import { displayNameOf } from '../views/certificate-view';
import { toKeyDto } from '../views/key-view';
import { certificateDetailOf } from './certificates';

// The bridge mirrors the service's lists without importing electron code (compile-time check).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const listsMatch: [
  Same<(typeof CERTIFICATE_LIST_STATUSES)[number], dashboard.CertificateListStatus>,
  Same<(typeof CERTIFICATE_SORT_FIELDS)[number], dashboard.CertificateSortField>,
  Same<(typeof KEY_SORT_FIELDS)[number], dashboard.KeySortField>,
  Same<(typeof KEY_POLICIES)[number], (typeof SERVICE_KEY_POLICIES)[number]>,
] = [true, true, true, true];
void listsMatch;

function toCertificateRow(row: CertificateListRow, now: Date): CertificateRow {
  const status =
    row.status === 'revoked'
      ? 'revoked'
      : Date.parse(row.notAfter) < now.getTime()
        ? 'expired'
        : Date.parse(row.notBefore) > now.getTime()
          ? 'not-yet-valid'
          : 'valid';
  return {
    id: row.id,
    subject: row.subject,
    displayName: displayNameOf(row.subject),
    issuer: row.issuer,
    serialNumber: row.serial.toUpperCase(),
    notBefore: row.notBefore,
    notAfter: row.notAfter,
    status,
    revocationReason: isRevocationReason(row.revocationReason) ? row.revocationReason : null,
    revokedAt: row.revokedAt,
    profile: row.profile,
    isCa: row.isCa,
    keyId: row.keyId,
    issuerId: row.issuerCertId,
  };
}

function toKeyRow(row: KeyListRow, now: Date): KeyRow {
  return {
    id: row.id,
    label: row.label,
    // The keys table only holds what KeyService wrote, so these are the contract's enums.
    algorithm: row.algorithm as KeyAlgorithm,
    purpose: row.purpose as KeyPurpose,
    provider: row.provider as ProviderKind,
    state: row.state,
    createdAt: row.createdAt,
    activationDate: row.activationDate,
    cryptoperiodDays: row.cryptoperiodDays,
    cryptoperiodEnds: row.cryptoperiodEndsAt,
    pastCryptoperiod:
      (row.state === 'active' || row.state === 'suspended') &&
      Date.parse(row.cryptoperiodEndsAt) < now.getTime(),
  };
}

function toCrlDto(record: CrlRecord): CrlDto {
  return {
    id: record.id,
    issuerId: record.issuerCertId,
    crlNumber: record.crlNumber,
    baseCrlNumber: record.baseCrlNumber,
    thisUpdate: record.thisUpdate,
    nextUpdate: record.nextUpdate,
    entries: record.entries,
    sha256: record.sha256,
    createdAt: record.createdAt,
  };
}

function toPolicyDto(policy: CrlPolicy): CrlPolicyDto {
  return {
    issuerId: policy.issuerCertId,
    nextUpdateHours: policy.nextUpdateHours,
    deltaNextUpdateHours: policy.deltaNextUpdateHours,
    distributionPoint: policy.distributionPoint,
    lastCrlNumber: policy.lastCrlNumber,
  };
}

function writeFailure(destination: string, error: unknown): MazeVaultError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'EEXIST'
      ? 'a file with that name already exists; choose another name or allow replacing it'
      : code === 'ENOENT'
        ? 'its folder does not exist'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission was denied'
          : `the system reported ${code ?? 'an error'}`;
  return new MazeVaultError('IO_ERROR', `The CRL was not written to ${destination}: ${why}.`);
}

export const lifecycleHandlers: HandlerGroup<LifecycleChannel> = {
  'lifecycle:dashboard': (_request, { app }) => {
    const summary = app
      .unlockedServices()
      .dashboard.summary({ expiringWithinDays: EXPIRING_WITHIN_DAYS });
    const counts = summary.certificatesByStatus;
    return {
      at: summary.at,
      keys: {
        total: Object.values(summary.keysByState).reduce((sum, n) => sum + n, 0),
        byState: summary.keysByState,
        pastCryptoperiod: summary.keysPastCryptoperiod,
      },
      certificates: {
        total: counts.valid + counts.expired + counts.revoked,
        ...counts,
        expiringWithinDays: EXPIRING_WITHIN_DAYS,
      },
      expiryTimeline: summary.expiryTimeline,
      rotationsDue: summary.rotationsDue,
      crlsNearNextUpdate: summary.crlsNearNextUpdate,
    };
  },

  'lifecycle:certificates-page': (request, { app }) => {
    const now = new Date();
    const result = app.unlockedServices().dashboard.listCertificates({
      page: request.page,
      pageSize: request.pageSize,
      sortBy: request.sortBy,
      sortDirection: request.sortDirection,
      now,
      expiringWithinDays: EXPIRING_WITHIN_DAYS,
      ...(request.status ? { status: request.status } : {}),
      ...(request.issuerId ? { issuerCertId: request.issuerId } : {}),
      ...(request.keyId ? { keyId: request.keyId } : {}),
      ...(request.profile ? { profile: request.profile } : {}),
      ...(request.isCa !== undefined ? { isCa: request.isCa } : {}),
      ...(request.subjectPrefix ? { subjectPrefix: request.subjectPrefix } : {}),
      ...(request.expiresFrom ? { expiresFrom: request.expiresFrom } : {}),
      ...(request.expiresBefore ? { expiresBefore: request.expiresBefore } : {}),
    });
    return { ...result, rows: result.rows.map((row) => toCertificateRow(row, now)) };
  },

  'lifecycle:keys-page': (request, { app }) => {
    const now = new Date();
    const result = app.unlockedServices().dashboard.listKeys({
      page: request.page,
      pageSize: request.pageSize,
      sortBy: request.sortBy,
      sortDirection: request.sortDirection,
      now,
      ...(request.state ? { state: request.state } : {}),
      ...(request.purpose ? { purpose: request.purpose } : {}),
      ...(request.provider ? { provider: request.provider } : {}),
      ...(request.pastCryptoperiod ? { pastCryptoperiod: true } : {}),
      ...(request.labelPrefix ? { labelPrefix: request.labelPrefix } : {}),
    });
    return { ...result, rows: result.rows.map((row) => toKeyRow(row, now)) };
  },

  'certificates:lifecycle': ({ id }, { app }) => {
    const services = app.unlockedServices();
    const record = services.certificates.get(id);
    const revocation = services.revocation.status(id);
    const predecessor = services.renewal.predecessorOf(id);
    const successor = services.renewal.successorOf(id);
    const link = (other: { id: string; subject: string } | undefined) =>
      other ? { id: other.id, displayName: displayNameOf(other.subject) } : null;
    const renewBlocked = successor
      ? `It was already renewed as ${displayNameOf(successor.subject)}; renew that one instead.`
      : !record.profile || record.profile === 'cross-ca'
        ? 'It was not issued here under a profile, so it cannot be renewed; issue a new certificate.'
        : record.isCa
          ? 'A CA certificate is replaced by a CA rollover (Roll over CA key), not a renewal.'
          : null;
    return {
      id: record.id,
      status: record.status,
      revocation: revocation.revoked
        ? {
            reason: revocation.reason,
            reasonLabel: revocation.reasonLabel,
            revokedAt: revocation.revokedAt,
            invalidityDate: revocation.invalidityDate,
          }
        : null,
      predecessor: link(predecessor),
      successor: link(successor),
      profile: record.profile,
      defaultKeyPolicy: services.renewal.keyPolicyFor(id),
      renewBlocked,
      rotationDueAt: services.rotation.dueAt(id) ?? null,
    };
  },

  'certificates:renew': async (request, { app, progress }) => {
    const services = app.unlockedServices();
    progress(
      request.keyPolicy === 'regenerate'
        ? 'Generating a new key and signing the successor'
        : 'Signing the successor with the same key',
    );
    const result = await services.renewal.renew(request.id, {
      keyPolicy: request.keyPolicy,
      ...(request.algorithm ? { algorithm: request.algorithm } : {}),
      ...(request.subject ? { subject: request.subject } : {}),
      ...(request.subjectAltNames ? { sans: request.subjectAltNames } : {}),
      ...(request.validity ? { validity: request.validity } : {}),
      ...(request.override ? { override: request.override } : {}),
      revokePredecessor: request.revokePredecessor,
    });
    return {
      certificate: certificateDetailOf(services, result.certificate.id),
      predecessorId: result.predecessor.id,
      keyPolicy: result.keyPolicy,
      keyId: result.certificate.keyId,
      deactivatedKeyId: result.deactivatedKeyId,
      warnings: result.warnings,
    };
  },

  'certificates:revoke': (request, { app }) => {
    const services = app.unlockedServices();
    if (!request.confirmed) {
      const record = services.certificates.get(request.id);
      throw new MazeVaultError(
        'CONFIRMATION_REQUIRED',
        `Revoking "${displayNameOf(record.subject)}" (serial ${record.serial.toUpperCase()}) cannot be undone; confirm to go ahead.`,
      );
    }
    const record = services.revocation.revoke(request.id, {
      reason: request.reason,
      ...(request.at ? { at: request.at } : {}),
      ...(request.invalidityDate ? { invalidityDate: request.invalidityDate } : {}),
    });
    const status = services.revocation.status(record.id);
    if (!status.revoked) {
      throw new MazeVaultError('INTERNAL', 'The certificate was not marked revoked.');
    }
    return {
      id: record.id,
      displayName: displayNameOf(record.subject),
      serialNumber: record.serial.toUpperCase(),
      reason: status.reason,
      revokedAt: status.revokedAt,
      invalidityDate: status.invalidityDate,
    };
  },

  'keys:compromise-plan': ({ id }, { app }) => {
    const services = app.unlockedServices();
    const plan = services.revocation.planKeyCompromise(id);
    const listed = (items: typeof plan.bound) =>
      items.slice(0, COMPROMISE_PLAN_LIST_LIMIT).map((item) => ({
        id: item.id,
        subject: item.subject,
        serialNumber: item.serial.toUpperCase(),
        isCa: item.isCa,
        status: item.status,
      }));
    return {
      keyId: plan.keyId,
      keyLabel: plan.keyLabel,
      keyState: services.keys.get(id).state,
      boundCount: plan.bound.length,
      issuedCount: plan.issued.length,
      toRevoke: plan.toRevoke,
      bound: listed(plan.bound),
      issued: listed(plan.issued),
    };
  },

  'keys:compromise': async (request, { app, progress }) => {
    const services = app.unlockedServices();
    progress('Marking the key Compromised and revoking what it vouches for');
    const result = await services.revocation.compromiseKey(request.id, {
      reason: request.reason,
      confirmed: request.confirmed,
      ...(request.compromisedAt ? { compromisedAt: request.compromisedAt } : {}),
    });
    return {
      key: toKeyDto(services.keys.get(request.id)),
      revokedCount: result.revoked.length,
      revoked: result.revoked.slice(0, 1000),
    };
  },

  'crl:list': ({ issuerId, limit, offset }, { app }) => {
    const services = app.unlockedServices();
    const policy = services.crls.policy(issuerId);
    return {
      crls: services.crls.list(issuerId, { limit, offset }).map(toCrlDto),
      policy: toPolicyDto(policy),
    };
  },

  'crl:policy': ({ issuerId, update }, { app }) => {
    const crls = app.unlockedServices().crls;
    if (!update) return toPolicyDto(crls.policy(issuerId));
    return toPolicyDto(
      crls.setPolicy(issuerId, {
        ...(update.nextUpdateHours !== undefined
          ? { nextUpdateHours: update.nextUpdateHours }
          : {}),
        ...(update.deltaNextUpdateHours !== undefined
          ? { deltaNextUpdateHours: update.deltaNextUpdateHours }
          : {}),
        ...(update.distributionPoint !== undefined
          ? { distributionPoint: update.distributionPoint }
          : {}),
      }),
    );
  },

  'crl:issue': async ({ issuerId, delta }, { app, progress }) => {
    const services = app.unlockedServices();
    const issued = await services.crls.issue(issuerId, {
      delta,
      onProgress: (done, total) => {
        // Building the entries is most of the work; signing and storing is the rest.
        progress(`Encoded ${done} of ${total} entries`, total ? (0.9 * done) / total : 0.5);
      },
    });
    progress('Signed and stored', 1);
    return { crl: toCrlDto(issued.crl), warnings: issued.warnings };
  },

  'crl:export': async ({ crlId, format, destination, overwrite }, { app }) => {
    const services = app.unlockedServices();
    if (!isAbsolute(destination)) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        `"${destination}" is not a full path; choose the destination with Browse or type a full path.`,
      );
    }
    const bytes = services.crls.export(crlId, format);
    const crl = services.crls.get(crlId);
    try {
      await writeFile(destination, bytes, { flag: overwrite ? 'w' : 'wx', mode: 0o644 });
    } catch (error) {
      throw writeFailure(destination, error);
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    services.vault.record({
      action: 'crl.export',
      subject: crl.issuerCertId,
      outcome: 'success',
      details: { crlId, crlNumber: crl.crlNumber, format, destination, sha256 },
    });
    return { destination, format, bytes: bytes.length, sha256 };
  },

  'rotation:due': ({ limit, offset }, { app }) => {
    const rotation = app.unlockedServices().rotation;
    return { items: rotation.due({ limit, offset }), total: rotation.dueCount() };
  },

  'rotation:run': async ({ dryRun }, { app, progress }) => {
    const run = await app.unlockedServices().rotation.rotate({
      dryRun,
      onProgress: (done, total, item) => {
        progress(`${done} of ${total}: ${displayNameOf(item.subject)}`, done / total);
      },
    });
    return run;
  },

  'rotation:policies': (_request, { app }) => ({
    policies: app.unlockedServices().rotation.policies(),
  }),

  'rotation:set-policy': (request, { app }) => {
    const rotation = app.unlockedServices().rotation;
    if (request.scope !== 'vault' && !request.target) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        `A ${request.scope} rotation policy needs the ${request.scope === 'profile' ? 'profile name' : 'certificate id'} it is for.`,
      );
    }
    const policy = rotation.setPolicy({
      scope: request.scope,
      target: request.scope === 'vault' ? '*' : (request.target ?? ''),
      intervalDays: request.intervalDays,
      leadDays: request.leadDays,
      keyPolicy: request.keyPolicy,
    });
    return { policy, due: rotation.dueCount() };
  },

  'rotation:schedule': (_request, { app }) => app.rotationSchedule().settings(),

  'rotation:set-schedule': (request, { app }) => {
    app.unlockedServices();
    return app.rotationSchedule().configure(request.everyMinutes);
  },

  'ca:rollover': async (request, { app, progress }) => {
    const services = app.unlockedServices();
    progress('Generating the new CA key and certificate');
    const result = await services.rollover.rollover(request.id, {
      crossSign: request.crossSign,
      reissueSubordinates: request.reissueSubordinates,
      ...(request.algorithm ? { algorithm: request.algorithm } : {}),
      ...(request.validityYears ? { validity: { years: request.validityYears } } : {}),
      ...(request.override ? { override: request.override } : {}),
    });
    return {
      previousId: result.previous.id,
      certificate: certificateDetailOf(services, result.certificate.id),
      keyId: result.key.id,
      newWithOldId: result.crossCertificates?.newWithOld.id ?? null,
      oldWithNewId: result.crossCertificates?.oldWithNew.id ?? null,
      reissuedIds: result.reissued.map((record) => record.id),
      warnings: result.warnings,
    };
  },

  'templates:list': (_request, { app }) => ({
    templates: app
      .unlockedServices()
      .templates.list()
      .map((template) => ({
        id: template.id,
        name: template.name,
        profile: template.profile,
        subjectDefaults: template.subjectDefaults ?? null,
        sans: template.sans ?? [],
        crlDistributionPoint: template.crlDistributionPoint ?? null,
        keyPolicy: template.keyPolicy,
        keyAlgorithm: template.keyAlgorithm,
        validity: template.validity,
        createdAt: template.createdAt,
        updatedAt: template.updatedAt,
      })),
  }),
};
