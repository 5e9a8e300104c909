// Handlers for import, inspect and validate (issue #3), and the export formats the core export
// channel does not carry.
import type { FormatChannel } from '../../../shared/bridge/formats-names';
import type { HandlerGroup } from '../handler';
import { formatExportHandlers } from './formats-export';
import { fileDialogHandlers } from './formats-files';
import { importHandlers } from './formats-import';
import { inspectHandlers } from './formats-inspect';
import { trustHandlers } from './formats-trust';
import { validateHandlers } from './formats-validate';

export const formatsHandlers: HandlerGroup<FormatChannel> = {
  ...fileDialogHandlers,
  ...importHandlers,
  ...inspectHandlers,
  ...validateHandlers,
  ...trustHandlers,
  ...formatExportHandlers,
};
