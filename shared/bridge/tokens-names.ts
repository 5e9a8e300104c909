// The bridge channel names for PKCS#11 tokens (issue #4). No zod here: the preload imports these names.
export const TOKEN_CHANNEL_NAMES = [] as const;

export type TokenChannel = (typeof TOKEN_CHANNEL_NAMES)[number];
