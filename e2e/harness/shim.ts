// The browser side of the e2e harness: a script, added to the page with `page.addInitScript`,
// that defines `window.mazevault` with the preload's shape, carried over HTTP (POST /ipc/:channel)
// and server-sent events (GET /events) to the harness's real router instead of Electron's IPC.
import { CHANNEL_NAMES, EVENT_NAMES } from '../../shared/channels';

/** The script's source; it runs before any page script, on every page of the harness's origin. */
export function bridgeShimScript(): string {
  return `(() => {
  const channels = new Set(${JSON.stringify(CHANNEL_NAMES)});
  const events = new Set(${JSON.stringify(EVENT_NAMES)});
  const listeners = new Map();
  const source = new EventSource('/events');
  for (const name of events) {
    source.addEventListener(name, (message) => {
      const payload = JSON.parse(message.data);
      for (const listener of listeners.get(name) ?? []) listener(payload);
    });
  }
  const bridge = {
    async invoke(channel, request) {
      if (!channels.has(channel)) {
        return { ok: false, error: { code: 'INVALID_INPUT', message: 'There is no channel named "' + String(channel).slice(0, 80) + '".' } };
      }
      const response = await fetch('/ipc/' + encodeURIComponent(channel), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: request === undefined ? '' : JSON.stringify(request),
      });
      return response.json();
    },
    on(event, listener) {
      if (!events.has(event)) throw new TypeError('There is no event named "' + String(event).slice(0, 80) + '".');
      if (typeof listener !== 'function') throw new TypeError('The listener must be a function.');
      const set = listeners.get(event) ?? new Set();
      const forward = (payload) => listener(payload);
      set.add(forward);
      listeners.set(event, set);
      return () => { set.delete(forward); };
    },
  };
  Object.defineProperty(window, 'mazevault', { value: Object.freeze(bridge), enumerable: true });
})();`;
}
