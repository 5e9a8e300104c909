// The bridge channel names for issuance templates and batch issuance (issue #5). No zod here: the
// preload imports these names. `templates:list` stays with the lifecycle channels.
export const ISSUANCE_CHANNEL_NAMES = [
  'templates:get',
  'templates:save',
  'templates:remove',
  'templates:issue',
  'templates:plan-csr',
  'templates:sign-csr',
  'batch:preview',
  'batch:issue',
  'batch:cancel',
] as const;

export type IssuanceChannel = (typeof ISSUANCE_CHANNEL_NAMES)[number];
