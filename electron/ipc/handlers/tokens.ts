// Handlers for PKCS#11 tokens (issue #4).
import type { TokenChannel } from '../../../shared/bridge/tokens-names';
import type { HandlerGroup } from '../handler';

export const tokensHandlers: HandlerGroup<TokenChannel> = {};
