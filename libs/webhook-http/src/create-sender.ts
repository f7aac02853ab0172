import { GotSender } from './got-sender.js';
import type { HttpSender, SenderOptions } from './http-sender.js';
import { NodeHttpSender } from './node-sender.js';
import { UndiciSender } from './undici-sender.js';

/** The HTTP clients a dispatcher can send with (`HTTP_CLIENT`); undici unless chosen (ADR 0006). */
export const HTTP_CLIENTS = ['node', 'got', 'undici'] as const;
export type HttpClientName = (typeof HTTP_CLIENTS)[number];
export const DEFAULT_HTTP_CLIENT: HttpClientName = 'undici';

export function createSender(client: HttpClientName, options: SenderOptions): HttpSender {
  switch (client) {
    case 'got':
      return new GotSender(options);
    case 'undici':
      return new UndiciSender(options);
    case 'node':
      return new NodeHttpSender(options);
  }
}
