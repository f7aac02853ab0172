import { showDuration } from './format.ts';

/** How a subscription groups its events into requests (docs/guides/batching.md). */
export interface BatchSettings {
  max_events: number;
  max_bytes: number;
  max_wait_ms: number;
}

/** The batch setting in words: null sends one event per request. */
export function batchText(b: BatchSettings | null): string {
  if (!b) return 'one event per request';
  const wait = b.max_wait_ms === 0 ? 'never waiting for more' : `the first waiting up to ${showDuration(b.max_wait_ms)} for others`;
  return `batches of up to ${b.max_events.toLocaleString('en-US')} events and ${showBytes(b.max_bytes)} per signed request, ${wait}`;
}

function showBytes(n: number): string {
  if (n % (1024 * 1024) === 0) return `${String(n / (1024 * 1024))} MiB`;
  if (n % 1024 === 0) return `${String(n / 1024)} KiB`;
  return `${n.toLocaleString('en-US')} bytes`;
}
