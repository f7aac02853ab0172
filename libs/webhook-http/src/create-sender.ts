import { GotSender } from './got-sender.js';
import type { PooledSender, SenderOptions } from './http-sender.js';
import { NodeHttpSender } from './node-sender.js';

/** The HTTP clients a dispatcher can send with (`HTTP_CLIENT`); node:http unless chosen. */
export const HTTP_CLIENTS = ['node', 'got'] as const;
export type HttpClientName = (typeof HTTP_CLIENTS)[number];
export const DEFAULT_HTTP_CLIENT: HttpClientName = 'node';

export function createSender(client: HttpClientName, options: SenderOptions): PooledSender {
  return client === 'got' ? new GotSender(options) : new NodeHttpSender(options);
}
