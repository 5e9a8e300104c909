// The bridge channel names for renewal, revocation, CRLs and the lifecycle lists (issue #5). No zod here: the preload imports these names.
export const LIFECYCLE_CHANNEL_NAMES = [] as const;

export type LifecycleChannel = (typeof LIFECYCLE_CHANNEL_NAMES)[number];
