// The import wizard's channels: preview what files hold, import the chosen entries in one
// transaction with progress, and cancel a running import (which rolls all of it back). Private
// keys are decoded and sealed in the main process; the window sees their descriptions only.
import { MazeVaultError } from '../../../shared/errors';
import type { ImportItem } from '../../formats/import-service';
import type { AppContext } from '../context';
import type { HandlerGroup } from '../handler';
import { readSource, secretsOf } from './formats-files';

type ImportChannels = 'import:preview' | 'import:commit' | 'import:cancel';

/** Running imports by the id the window gave them, per window session. */
const running = new WeakMap<AppContext, Map<string, AbortController>>();

function runningImports(app: AppContext): Map<string, AbortController> {
  let imports = running.get(app);
  if (!imports) running.set(app, (imports = new Map()));
  return imports;
}

export const importHandlers: HandlerGroup<ImportChannels> = {
  'import:preview': async ({ files }, { app, progress }) => {
    const services = app.unlockedServices();
    const previews = [];
    for (const [index, file] of files.entries()) {
      const read = await readSource(file.source);
      progress(`Reading ${read.name}`, index / files.length);
      const [preview] = await services.imports.preview([read], secretsOf(file));
      previews.push(preview!);
    }
    return { files: previews };
  },

  'import:commit': async (request, { app, progress }) => {
    const services = app.unlockedServices();
    const imports = runningImports(app);
    if (imports.has(request.importId)) {
      throw new MazeVaultError('INVALID_INPUT', 'This import is already running.');
    }

    const items: ImportItem[] = [];
    for (const file of request.files) {
      const read = await readSource(file.source);
      items.push({
        ...read,
        secrets: secretsOf(file),
        ...(file.only ? { only: file.only } : {}),
      });
    }

    const controller = new AbortController();
    imports.set(request.importId, controller);
    try {
      return await services.imports.import(items, {
        mode: request.mode,
        ...(request.remoteLocation ? { remoteLocation: request.remoteLocation } : {}),
        ...(request.trustAnchors ? { trustAnchors: true } : {}),
        signal: controller.signal,
        onProgress: ({ phase, done, total, file }) => {
          // Decoding is the first fifth of the work, storing the rest.
          const fraction = phase === 'decode' ? (done / total) * 0.2 : 0.2 + (done / total) * 0.8;
          const message =
            phase === 'decode'
              ? `Reading ${file} (${done} of ${total} files)`
              : `Storing ${done} of ${total} entries`;
          progress(message, Math.min(1, fraction));
        },
      });
    } finally {
      imports.delete(request.importId);
      for (const item of items) item.bytes.fill(0);
    }
  },

  'import:cancel': ({ importId }, { app }) => {
    const controller = runningImports(app).get(importId);
    controller?.abort();
    return { cancelled: controller !== undefined };
  },
};
