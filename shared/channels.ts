// The names of the bridge's channels and events, without their schemas. The sandboxed preload
// imports only this file (no zod), so the bridge stays small; shared/contract.ts declares the
// schema of each name and fails to compile if the two lists drift apart. Each area of work keeps
// its own names in shared/bridge/.
import { FORMAT_CHANNEL_NAMES } from './bridge/formats-names';
import { ISSUANCE_CHANNEL_NAMES } from './bridge/issuance-names';
import { LIFECYCLE_CHANNEL_NAMES } from './bridge/lifecycle-names';
import { TOKEN_CHANNEL_NAMES } from './bridge/tokens-names';

export const CHANNEL_NAMES = [
  'app:status',
  'dialog:choose-path',
  'vault:create',
  'vault:open',
  'vault:unlock',
  'vault:lock',
  'vault:change-passphrase',
  'vault:set-auto-lock',
  'vault:raise-kdf-cost',
  'dashboard:summary',
  'keys:list',
  'keys:get',
  'keys:generate',
  'keys:transition',
  'certificates:list',
  'certificates:get',
  'ca:create-root',
  'ca:issue-subordinate',
  'certificates:issue-end-entity',
  'export:certificate',
  'ceremony:transcript',
  'audit:list',
  'audit:verify',
  ...FORMAT_CHANNEL_NAMES,
  ...TOKEN_CHANNEL_NAMES,
  ...LIFECYCLE_CHANNEL_NAMES,
  ...ISSUANCE_CHANNEL_NAMES,
] as const;

export type Channel = (typeof CHANNEL_NAMES)[number];

export const EVENT_NAMES = ['progress', 'vault-locked'] as const;

export type EventName = (typeof EVENT_NAMES)[number];

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && (CHANNEL_NAMES as readonly string[]).includes(name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name);
}

/** The prefix of every IPC name on the wire, so ours never collide with Electron's own. */
export const IPC_PREFIX = 'mazevault:';

export const ipcChannelName = (channel: Channel): string => `${IPC_PREFIX}${channel}`;
export const ipcEventName = (event: EventName): string => `${IPC_PREFIX}event:${event}`;
