// The IPC router: channel name and raw request in, `{ ok, value }` or `{ ok: false, error }` out.
// It validates the request against the contract, calls the handler, and validates the answer too:
// an answer that does not fit its schema, or that carries a private key, is an internal error,
// logged here and never passed to the window.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  CHANNEL_NAMES,
  CONTRACT,
  isChannel,
  type Channel,
  type InvokeResult,
  type ProgressEvent,
} from '../../shared/contract';
import { MazeVaultError, toErrorPayload, type ErrorPayload } from '../../shared/errors';
import type { AppContext } from './context';
import type { Handler, HandlerTable, HandlerTools } from './handler';
import { createHandlers } from './handlers/index';

export type RouterResult = { ok: true; value: unknown } | { ok: false; error: ErrorPayload };

export interface IpcRouter {
  readonly channels: readonly Channel[];
  handle<C extends Channel>(channel: C, rawRequest: unknown): Promise<InvokeResult<C>>;
  handle(channel: string, rawRequest: unknown): Promise<RouterResult>;
}

/** PEM armour of every private key form (PKCS#8, encrypted PKCS#8, PKCS#1, SEC 1, OpenSSH). */
const PRIVATE_KEY_MARKER = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

const INTERNAL: ErrorPayload = toErrorPayload(undefined);

/** Field paths and messages only: a rejected value may be a passphrase, so it is never quoted. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.length ? issue.path.join('.') : 'request';
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}

export function createIpcRouter(
  context: AppContext,
  handlers: HandlerTable = createHandlers(),
): IpcRouter {
  for (const channel of CHANNEL_NAMES) {
    if (typeof handlers[channel] !== 'function') {
      throw new Error(`The IPC router has no handler for ${channel}.`);
    }
  }

  async function handle(channel: string, rawRequest: unknown): Promise<RouterResult> {
    if (!isChannel(channel)) {
      context.log.warn(`refused a call to an unknown channel (${channel.slice(0, 80)})`);
      return {
        ok: false,
        error: {
          code: 'INVALID_INPUT',
          message: `There is no channel named "${channel.slice(0, 80)}".`,
        },
      };
    }
    const spec = CONTRACT[channel];

    const parsed = spec.request.safeParse(rawRequest);
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          code: 'INVALID_INPUT',
          message: `The request for ${channel} is not valid: ${describeIssues(parsed.error)}.`,
        },
      };
    }

    const exclusive = 'exclusive' in spec && spec.exclusive === true;
    const readOnly = 'readOnly' in spec && spec.readOnly === true;
    if (context.exclusiveChannel && (exclusive || !readOnly)) {
      return {
        ok: false,
        error: {
          code: 'BUSY',
          message:
            `${context.exclusiveChannel} is writing to the vault in one transaction; wait for it to ` +
            'finish or cancel it, then try again.',
        },
      };
    }

    const operationId = randomUUID();
    const long = 'long' in spec && spec.long === true;
    const progress = (stage: ProgressEvent['stage'], message: string, fraction?: number): void => {
      if (!long) return;
      context.emit('progress', {
        operationId,
        channel,
        stage,
        message,
        fraction: fraction ?? null,
      });
    };
    const tools: HandlerTools = {
      app: context,
      progress: (message, fraction) => progress('working', message, fraction),
    };
    const startMessage = 'progressMessage' in spec ? spec.progressMessage : channel;

    let value: unknown;
    progress('started', startMessage, 0);
    if (exclusive) context.exclusiveChannel = channel;
    try {
      const handler = handlers[channel] as Handler<Channel>;
      value = await handler(parsed.data as never, tools);
    } catch (error) {
      const payload = toErrorPayload(error);
      if (!(error instanceof MazeVaultError)) {
        context.log.error(`${channel} failed unexpectedly`, error);
      }
      progress('failed', payload.message);
      return { ok: false, error: payload };
    } finally {
      if (exclusive) context.exclusiveChannel = null;
    }

    const checked = spec.response.safeParse(value);
    if (!checked.success) {
      context.log.error(
        `${channel} answered outside its contract: ${describeIssues(checked.error)}`,
      );
      progress('failed', INTERNAL.message);
      return { ok: false, error: INTERNAL };
    }
    if (PRIVATE_KEY_MARKER.test(JSON.stringify(checked.data))) {
      context.log.error(`${channel} answered with private key material; the answer was withheld`);
      progress('failed', INTERNAL.message);
      return { ok: false, error: INTERNAL };
    }

    progress('finished', startMessage, 1);
    return { ok: true, value: checked.data };
  }

  return { channels: CHANNEL_NAMES, handle: handle as IpcRouter['handle'] };
}
