// The IPC contract: every channel between the window and the main process, declared once with the
// zod schema of its request and its response, and the events the main process sends. The main
// router validates both directions against it and the renderer's typed client is derived from it.
// Adding a feature means adding a channel here first (and its name in shared/channels.ts).
import { z } from 'zod';
import type { ErrorPayload } from './errors';
import { FORMAT_CONTRACT } from './bridge/formats-contract';
import { ISSUANCE_CONTRACT } from './bridge/issuance-contract';
import { LIFECYCLE_CONTRACT } from './bridge/lifecycle-contract';
import { TOKEN_CONTRACT } from './bridge/tokens-contract';
import { CHANNEL_NAMES, EVENT_NAMES, type Channel, type EventName } from './channels';
import {
  appStatus,
  auditEventDto,
  auditVerification,
  ceremonyTranscript,
  certificateDetail,
  certificateSummary,
  dashboardSummary,
  exportFormat,
  exportResult,
  filePath,
  id,
  issuedCertificate,
  keyDto,
  keyAlgorithm,
  keyPurpose,
  keySource,
  keyState,
  policyOverride,
  progressEvent,
  providerKind,
  validity,
  vaultLockedEvent,
  vaultStatus,
} from './dto';

export {
  CHANNEL_NAMES,
  EVENT_NAMES,
  isChannel,
  isEventName,
  type Channel,
  type EventName,
} from './channels';

export interface ChannelSpec {
  request: z.ZodType;
  response: z.ZodType;
  /** Long work: the router emits `progress` events (started, finished or failed) around it. */
  long?: boolean;
  /** What the window shows while the work runs, e.g. "Generating the key". */
  progressMessage?: string;
  /**
   * Holds the vault's write transaction across awaits (a large import): while it runs, the router
   * refuses every channel that is not `readOnly`, so no other write joins or loses its transaction.
   */
  exclusive?: boolean;
  /** Reads only; allowed while an exclusive operation runs. */
  readOnly?: boolean;
}

/** A request with nothing in it; `undefined` is accepted too. */
const empty = z.strictObject({}).default({});
const passphrase = z.string().min(1).max(1024);
const distinguishedName = z.string().trim().min(3).max(4096);
const reason = z.string().trim().min(1).max(2000);
/** RFC 5280 §4.2.1.6 names as "DNS:host", "IP:192.0.2.1", "email:a@b", "URI:https://…". */
const subjectAltName = z
  .string()
  .regex(/^(DNS|IP|email|URI):.+$/, 'TYPE:value with TYPE one of DNS, IP, email, URI');
const crlDistributionPoint = z.url().max(2048);

export const CONTRACT = {
  'app:status': { request: empty, response: appStatus, readOnly: true },

  /** Asks the officer for a file with the system dialog; `path` is null when they cancel. */
  'dialog:choose-path': {
    readOnly: true,
    request: z.strictObject({
      purpose: z.enum(['vault-create', 'vault-open', 'export', 'transcript']),
      suggestedName: z.string().max(255).optional(),
    }),
    response: z.strictObject({ path: filePath.nullable() }),
  },

  'vault:create': {
    request: z.strictObject({ path: filePath, passphrase }),
    response: vaultStatus,
    long: true,
    progressMessage: 'Creating the vault (deriving the key from the passphrase)',
  },
  /** Opens a vault file, locked; the previous vault of this window is closed first. */
  'vault:open': { request: z.strictObject({ path: filePath }), response: vaultStatus },
  'vault:unlock': {
    request: z.strictObject({ passphrase }),
    response: vaultStatus,
    long: true,
    progressMessage: 'Unlocking the vault',
  },
  'vault:lock': { request: empty, response: vaultStatus },
  'vault:change-passphrase': {
    request: z.strictObject({ current: passphrase, next: passphrase }),
    response: vaultStatus,
    long: true,
    progressMessage: 'Re-wrapping the data key under the new passphrase',
  },
  /** `minutes: null` turns auto-lock off: the vault then locks only when the officer locks it. */
  'vault:set-auto-lock': {
    request: z.strictObject({
      minutes: z
        .number()
        .int()
        .min(1)
        .max(24 * 60)
        .nullable(),
    }),
    response: vaultStatus,
  },
  /** Re-wraps the data key under stronger scrypt parameters; they can only go up. */
  'vault:raise-kdf-cost': {
    request: z
      .strictObject({
        passphrase,
        N: z
          .number()
          .int()
          .min(2 ** 12)
          .max(2 ** 20)
          .refine((n) => Number.isInteger(Math.log2(n)), 'N must be a power of two, e.g. 262144'),
        r: z.number().int().min(1).max(32),
        p: z.number().int().min(1).max(16),
      })
      .refine(
        ({ N, r, p }) => 128 * N * r * p <= 2 ** 30,
        'These parameters need more than 1 GiB of memory per unlock; lower N, r or p',
      ),
    response: vaultStatus,
    long: true,
    progressMessage: 'Re-wrapping the data key under the stronger KDF parameters',
  },

  'dashboard:summary': { request: empty, response: dashboardSummary, readOnly: true },

  'keys:list': {
    readOnly: true,
    request: z
      .strictObject({
        state: keyState.optional(),
        purpose: keyPurpose.optional(),
        provider: providerKind.optional(),
        search: z.string().max(200).optional(),
        limit: z.number().int().min(1).max(10_000).optional(),
        offset: z.number().int().min(0).optional(),
      })
      .default({}),
    response: z.strictObject({ keys: z.array(keyDto) }),
  },
  'keys:get': { request: z.strictObject({ id }), response: keyDto, readOnly: true },
  'keys:generate': {
    request: z.strictObject({
      algorithm: keyAlgorithm,
      label: z.string().trim().min(1).max(200),
      purpose: keyPurpose.optional(),
      provider: providerKind.optional(),
      owner: z.string().max(200).optional(),
      /** False keeps the key Pre-active until an explicit activation. */
      activate: z.boolean().optional(),
      cryptoperiodDays: z.number().int().min(1).max(36_500).optional(),
    }),
    response: keyDto,
    long: true,
    progressMessage: 'Generating the key',
  },
  'keys:transition': {
    request: z.strictObject({ id, to: keyState, reason }),
    response: keyDto,
  },

  'certificates:list': {
    readOnly: true,
    request: z
      .strictObject({
        search: z.string().max(200).optional(),
        caOnly: z.boolean().optional(),
        issuerId: id.optional(),
      })
      .default({}),
    response: z.strictObject({ certificates: z.array(certificateSummary) }),
  },
  'certificates:get': {
    request: z.strictObject({ id }),
    response: certificateDetail,
    readOnly: true,
  },

  'ca:create-root': {
    request: z.strictObject({
      subject: distinguishedName,
      key: keySource,
      validity,
      /** RFC 5280 §4.2.1.9 pathLenConstraint; left out: the profile's default. */
      pathLength: z.number().int().min(0).max(16).optional(),
      override: policyOverride.optional(),
    }),
    response: issuedCertificate,
    long: true,
    progressMessage: 'Generating the root CA key and self-signing its certificate',
  },
  'ca:issue-subordinate': {
    request: z.strictObject({
      issuerId: id,
      subject: distinguishedName,
      key: keySource,
      validity,
      /** RFC 5280 §4.2.1.9 pathLenConstraint; left out: the profile's default. */
      pathLength: z.number().int().min(0).max(16).optional(),
      crlDistributionPoint: crlDistributionPoint.optional(),
      override: policyOverride.optional(),
    }),
    response: issuedCertificate,
    long: true,
    progressMessage: 'Issuing the subordinate CA certificate',
  },
  'certificates:issue-end-entity': {
    request: z.strictObject({
      issuerId: id,
      profile: z.enum(['tls-server', 'tls-client']),
      /** Optional with a CSR: the CSR's subject is used when this is left out. */
      subject: distinguishedName.optional(),
      subjectAltNames: z.array(subjectAltName).max(100).default([]),
      validity,
      source: z.discriminatedUnion('kind', [
        z.strictObject({
          kind: z.literal('csr'),
          pem: z
            .string()
            .min(1)
            .max(64 * 1024),
        }),
        z.strictObject({
          kind: z.literal('new'),
          algorithm: keyAlgorithm,
          provider: providerKind.default('software'),
          label: z.string().min(1).max(200).optional(),
        }),
      ]),
      crlDistributionPoint: crlDistributionPoint.optional(),
      override: policyOverride.optional(),
    }),
    response: issuedCertificate,
    long: true,
    progressMessage: 'Issuing the certificate',
  },

  /**
   * Writes the export to `destination` (an absolute path) in the main process; only a summary
   * comes back. Exports with the private key need `confirmed: true` and a password.
   */
  'export:certificate': {
    request: z.strictObject({
      certId: id,
      format: exportFormat,
      /** The issuers up to the root too; left out: on for pem-chain and p7b, off otherwise. */
      chain: z.boolean().optional(),
      withKey: z.boolean().default(false),
      password: z.string().min(1).max(1024).optional(),
      friendlyName: z.string().max(200).optional(),
      destination: filePath,
      confirmed: z.boolean().default(false),
      /** Replace an existing file at `destination`; refused otherwise. */
      overwrite: z.boolean().default(false),
    }),
    response: exportResult,
    long: true,
    progressMessage: 'Writing the export',
  },

  'ceremony:transcript': {
    readOnly: true,
    request: z.strictObject({
      certId: id,
      witnesses: z.array(z.string().trim().min(1).max(200)).max(20).default([]),
      notes: z.string().max(10_000).optional(),
    }),
    response: ceremonyTranscript,
  },

  'audit:list': {
    readOnly: true,
    request: z
      .strictObject({
        limit: z.number().int().min(1).max(10_000).optional(),
        offset: z.number().int().min(0).optional(),
        action: z.string().max(100).optional(),
      })
      .default({}),
    response: z.strictObject({
      events: z.array(auditEventDto),
      total: z.number().int().nonnegative(),
    }),
  },
  'audit:verify': {
    request: empty,
    response: auditVerification,
    long: true,
    progressMessage: 'Verifying the audit chain',
  },
  ...FORMAT_CONTRACT,
  ...TOKEN_CONTRACT,
  ...LIFECYCLE_CONTRACT,
  ...ISSUANCE_CONTRACT,
} as const satisfies Record<Channel, ChannelSpec>;

export const EVENTS = {
  progress: progressEvent,
  'vault-locked': vaultLockedEvent,
} as const satisfies Record<EventName, z.ZodType>;

// Both name lists are the contract's keys, no more and no fewer (checked at compile time).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const channelsMatch: Same<keyof typeof CONTRACT, (typeof CHANNEL_NAMES)[number]> = true;
const eventsMatch: Same<keyof typeof EVENTS, (typeof EVENT_NAMES)[number]> = true;
void channelsMatch;
void eventsMatch;

/** What the window passes to `invoke(channel, request)` (defaults may be left out). */
export type Request<C extends Channel> = z.input<(typeof CONTRACT)[C]['request']>;
/** The request after validation, as the main process sees it. */
export type ParsedRequest<C extends Channel> = z.output<(typeof CONTRACT)[C]['request']>;
export type Response<C extends Channel> = z.output<(typeof CONTRACT)[C]['response']>;
export type EventPayload<E extends EventName> = z.output<(typeof EVENTS)[E]>;

/** What `invoke` resolves to: the value, or the error as it may cross the bridge. */
export type InvokeResult<C extends Channel> =
  { ok: true; value: Response<C> } | { ok: false; error: ErrorPayload };

/**
 * `window.mazevault`, as the preload (and the e2e harness shim) define it. `invoke` never rejects
 * for a refused request: it resolves to `{ ok: false, error }`. `on` returns an unsubscribe.
 */
export interface MazeVaultBridge {
  invoke<C extends Channel>(channel: C, request?: Request<C>): Promise<InvokeResult<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export * from './dto';
