// The bridge channel names for renewal, revocation, CRLs and the lifecycle lists (issue #5). No zod here: the preload imports these names.
export const LIFECYCLE_CHANNEL_NAMES = [
  'lifecycle:dashboard',
  'lifecycle:certificates-page',
  'lifecycle:keys-page',
  'certificates:lifecycle',
  'certificates:renew',
  'certificates:revoke',
  'keys:compromise-plan',
  'keys:compromise',
  'crl:list',
  'crl:policy',
  'crl:issue',
  'crl:export',
  'rotation:due',
  'rotation:run',
  'rotation:policies',
  'rotation:set-policy',
  'rotation:schedule',
  'rotation:set-schedule',
  'ca:rollover',
  'templates:list',
] as const;

export type LifecycleChannel = (typeof LIFECYCLE_CHANNEL_NAMES)[number];
