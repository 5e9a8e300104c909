// Trust anchors from the window: whether a vault certificate anchors validation, and the officer's
// explicit mark (the same audited change as `mazevault cert trust` / `cert untrust`).
import type { HandlerGroup } from '../handler';
import { TrustAnchorStore } from '../../pki/validate/trust-anchors';

export const trustHandlers: HandlerGroup<'certificates:trust' | 'certificates:set-trust'> = {
  'certificates:trust': ({ id }, { app }) =>
    new TrustAnchorStore(app.unlockedServices().vault).status(id),

  'certificates:set-trust': ({ id, trusted }, { app }) => {
    const store = new TrustAnchorStore(app.unlockedServices().vault);
    store.setTrusted(id, trusted, 'window');
    return store.status(id);
  },
};
