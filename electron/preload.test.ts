// The preload under a mocked `electron`: what it exposes to the page and what it lets through.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES, ipcChannelName, ipcEventName } from '../shared/channels';
import type { MazeVaultBridge } from '../shared/contract';

type Listener = (...args: unknown[]) => void;

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoked: [] as { channel: string; request: unknown }[],
  listeners: new Map<string, Set<Listener>>(),
}));

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (name: string, api: unknown) => electron.exposed.set(name, api),
  },
  ipcRenderer: {
    invoke: async (channel: string, request: unknown) => {
      electron.invoked.push({ channel, request });
      return { ok: true, value: { echoed: channel } };
    },
    on: (channel: string, listener: Listener) => {
      const set = electron.listeners.get(channel) ?? new Set();
      set.add(listener);
      electron.listeners.set(channel, set);
    },
    removeListener: (channel: string, listener: Listener) => {
      electron.listeners.get(channel)?.delete(listener);
    },
  },
}));

let bridge: MazeVaultBridge;

beforeAll(async () => {
  await import('./preload');
  bridge = electron.exposed.get('mazevault') as MazeVaultBridge;
});

describe('the preload bridge', () => {
  it('exposes only window.mazevault with invoke and on', () => {
    expect([...electron.exposed.keys()]).toEqual(['mazevault']);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
  });

  it('forwards every contract channel to its prefixed IPC name', async () => {
    for (const channel of CHANNEL_NAMES) {
      expect(await bridge.invoke(channel, {} as never)).toEqual({
        ok: true,
        value: { echoed: ipcChannelName(channel) },
      });
    }
    expect(electron.invoked.map((call) => call.channel)).toEqual(CHANNEL_NAMES.map(ipcChannelName));
  });

  it('rejects a channel outside the contract without sending anything', async () => {
    electron.invoked.length = 0;
    for (const channel of ['fs:read', 'mazevault:app:status', '__proto__', '']) {
      const answer = await bridge.invoke(channel as never, {} as never);
      expect(answer).toEqual({
        ok: false,
        error: expect.objectContaining({ code: 'INVALID_INPUT' }),
      });
    }
    expect(electron.invoked).toEqual([]);
  });

  it('delivers event payloads without the IPC event, and unsubscribes', () => {
    const received: unknown[][] = [];
    const unsubscribe = bridge.on('vault-locked', (...args: unknown[]) => received.push(args));
    const listeners = electron.listeners.get(ipcEventName('vault-locked'));
    expect(listeners?.size).toBe(1);
    const payload = { reason: 'idle', path: '/tmp/v.mzv' };
    for (const listener of listeners ?? []) listener({ sender: 'ipc internals' }, payload);
    expect(received).toEqual([[payload]]);
    unsubscribe();
    expect(electron.listeners.get(ipcEventName('vault-locked'))?.size).toBe(0);
  });

  it('refuses to listen to an event outside the contract', () => {
    expect(() => bridge.on('devtools-opened' as never, () => undefined)).toThrow(/no event named/);
  });
});
