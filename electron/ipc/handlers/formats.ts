// Handlers for import, inspect and validate (issue #3).
import type { FormatChannel } from '../../../shared/bridge/formats-names';
import type { HandlerGroup } from '../handler';

export const formatsHandlers: HandlerGroup<FormatChannel> = {};
