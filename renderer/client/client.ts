// The typed client every page calls: one `call` per channel, resolving to the response or
// throwing a ClientError that carries the main process's `{ code, message }` unchanged.
// Only types come from the contract: zod stays out of the window's bundle (its JIT needs eval,
// which the CSP forbids), and the main process validates both directions anyway.
import type { Channel, EventName, EventPayload, Request, Response } from '../../shared/contract';
import type { ErrorCode } from '../../shared/errors';
import { bridge } from './bridge';

export class ClientError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ClientError';
    this.code = code;
  }
}

export async function call<C extends Channel>(
  channel: C,
  request?: Request<C>,
): Promise<Response<C>> {
  const result = await bridge().invoke(channel, request);
  if (result.ok) return result.value;
  throw new ClientError(result.error.code, result.error.message);
}

export function subscribe<E extends EventName>(
  event: E,
  listener: (payload: EventPayload<E>) => void,
): () => void {
  return bridge().on(event, listener);
}

/** The sentence to show for anything a call threw. */
export function errorMessage(error: unknown): string {
  if (error instanceof ClientError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong; try again.';
}
