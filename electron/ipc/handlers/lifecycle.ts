// Handlers for renewal, revocation, CRLs and the lifecycle lists (issue #5).
import type { LifecycleChannel } from '../../../shared/bridge/lifecycle-names';
import type { HandlerGroup } from '../handler';

export const lifecycleHandlers: HandlerGroup<LifecycleChannel> = {};
