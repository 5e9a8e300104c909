// The bridge channels for import, inspect and validate (issue #3), with their request and response schemas.
import type { ChannelSpec } from '../contract';
import type { FormatChannel } from './formats-names';

export const FORMAT_CONTRACT = {} as const satisfies Record<FormatChannel, ChannelSpec>;
