// The key inventory: list with filters, one key, generate, and NIST SP 800-57 state changes. The
// lifecycle is enforced by the key service; the window's greying out is only a convenience.
import type { HandlerGroup } from '../handler';
import { toKeyDto } from '../views/key-view';

type KeyChannels = 'keys:list' | 'keys:get' | 'keys:generate' | 'keys:transition';

export const keyHandlers: HandlerGroup<KeyChannels> = {
  'keys:list': (filter, { app }) => ({
    keys: app.unlockedServices().keys.list(filter).map(toKeyDto),
  }),

  'keys:get': ({ id }, { app }) => toKeyDto(app.unlockedServices().keys.get(id)),

  'keys:generate': async (request, { app }) => {
    const key = await app.unlockedServices().keys.generate(request);
    return toKeyDto(key);
  },

  'keys:transition': async ({ id, to, reason }, { app }) => {
    const key = await app.unlockedServices().keys.transition(id, to, reason);
    return toKeyDto(key);
  },
};
