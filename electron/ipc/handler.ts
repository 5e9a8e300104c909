// The shape of a channel handler: it receives the validated request and returns what the
// contract's response schema describes; the router validates that answer again before it leaves.
import type { Channel, ParsedRequest, Response } from '../../shared/contract';
import type { AppContext } from './context';

export interface HandlerTools {
  app: AppContext;
  /** Reports how far long work is; the window shows it as a progress bar. */
  progress(message: string, fraction?: number): void;
}

export type Handler<C extends Channel> = (
  request: ParsedRequest<C>,
  tools: HandlerTools,
) => Response<C> | Promise<Response<C>>;

export type HandlerTable = { [C in Channel]: Handler<C> };

export type HandlerGroup<C extends Channel> = { [K in C]: Handler<K> };
