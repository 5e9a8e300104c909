// The bridge channel names for PKCS#11 tokens (issue #4). No zod here: the preload imports these names.
export const TOKEN_CHANNEL_NAMES = [
  'tokens:presets',
  'tokens:profiles',
  'tokens:check-module',
  'tokens:save-profile',
  'tokens:delete-profile',
  'tokens:slots',
  'tokens:mechanisms',
  'tokens:login',
  'tokens:logout',
  'tokens:objects',
  'tokens:discover-keys',
  'tokens:initialize',
] as const;

export type TokenChannel = (typeof TOKEN_CHANNEL_NAMES)[number];
