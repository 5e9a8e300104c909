// The bridge channels for PKCS#11 tokens (issue #4), with their request and response schemas.
import type { ChannelSpec } from '../contract';
import type { TokenChannel } from './tokens-names';

export const TOKEN_CONTRACT = {} as const satisfies Record<TokenChannel, ChannelSpec>;
