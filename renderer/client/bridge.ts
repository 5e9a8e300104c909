// The one global the preload exposes. Typed here from the contract so every page gets its
// request and response types from shared/contract.ts, never from a hand-written copy.
import type {
  Channel,
  EventName,
  EventPayload,
  InvokeResult,
  Request,
} from '../../shared/contract';

export interface MazeVaultBridge {
  invoke<C extends Channel>(channel: C, request?: Request<C>): Promise<InvokeResult<C>>;
  /** Returns a function that removes the listener. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

declare global {
  interface Window {
    mazevault?: MazeVaultBridge;
  }
}

export function bridge(): MazeVaultBridge {
  const found = window.mazevault;
  if (!found) {
    throw new Error(
      'The MazeVault bridge is missing: this page must run inside MazeVault Desktop.',
    );
  }
  return found;
}
