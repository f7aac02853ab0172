export { createHookstreamClient, type HookstreamClient, type HookstreamClientOptions } from './client.js';
export type { Service } from './routes.js';
export type { components, operations, paths } from './schema.js';
export { SseParser, type SseMessage } from './sse.js';
