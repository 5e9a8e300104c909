// The bridge, nothing more: `window.mazevault.invoke(channel, request)` for the contract's
// channels and `on(event, listener)` for its events. Sandboxed preloads may require only
// 'electron', so this imports the channel names alone (shared/channels.ts, no zod) and the build
// bundles it. The main process validates every request; the checks here keep a typo or a
// compromised page from reaching any other IPC name.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  ipcChannelName,
  ipcEventName,
  isChannel,
  isEventName,
  type Channel,
  type EventName,
} from '../shared/channels';
import type { MazeVaultBridge } from '../shared/contract';

function unknownChannel(channel: unknown): {
  ok: false;
  error: { code: 'INVALID_INPUT'; message: string };
} {
  return {
    ok: false,
    error: {
      code: 'INVALID_INPUT',
      message: `There is no channel named "${String(channel).slice(0, 80)}".`,
    },
  };
}

const bridge = {
  invoke(channel: Channel, request?: unknown) {
    if (!isChannel(channel)) return Promise.resolve(unknownChannel(channel));
    return ipcRenderer.invoke(ipcChannelName(channel), request);
  },

  on(event: EventName, listener: (payload: unknown) => void) {
    if (!isEventName(event)) {
      throw new TypeError(`There is no event named "${String(event).slice(0, 80)}".`);
    }
    if (typeof listener !== 'function') throw new TypeError('The listener must be a function.');
    // The page gets the payload only, never the IpcRendererEvent (it would expose the sender).
    const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(ipcEventName(event), forward);
    return () => {
      ipcRenderer.removeListener(ipcEventName(event), forward);
    };
  },
} as MazeVaultBridge;

contextBridge.exposeInMainWorld('mazevault', bridge);
