import { createRequire } from 'node:module';

/** What the fix touches of kafkajs' (internal) RequestQueue. */
export interface PatchableQueue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** kafkajs' own recheck interval for a queue with requests waiting (requestQueue/index.js). */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

/**
 * kafkajs 2.2.4's RequestQueue.scheduleCheckPendingRequests, corrected: it schedules a check only
 * when one can do something, that is when requests are waiting or the broker throttles us. The
 * original also schedules one when neither holds, with a negative delay, and every check then
 * schedules the next: a 1 ms timer loop on every broker connection for the life of the process
 * (kafkajs issues #1556 and #1704, unfixed upstream; PR #1667). Measured here, it was most of an
 * idle service's 4-8 % of a core, and it wakes every event loop a thousand times a second under
 * load too. Requests are not left waiting by the change: a fulfilled request checks the queue
 * (fulfillRequest), and push() sends at once or enqueues and schedules.
 */
export function scheduleCheckPendingRequests(this: PatchableQueue): void {
  if (this.throttleCheckTimeoutId) return;
  let delay = this.throttledUntil - Date.now();
  if (this.pending.length > 0) delay = delay > 0 ? delay : CHECK_PENDING_REQUESTS_INTERVAL_MS;
  else if (delay <= 0) return;
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, delay);
}

let applied = false;

/**
 * Replaces the method on kafkajs' RequestQueue once per process. Only on the 2.2 line, whose
 * code this was written against: another version fails loudly here, so the fix is re-checked
 * (or dropped, once upstream carries it) rather than silently patching code it does not know.
 */
export function fixKafkajsRequestQueue(): void {
  if (applied) return;
  const require = createRequire(import.meta.url);
  const { version } = require('kafkajs/package.json') as { version: string };
  if (!version.startsWith('2.2.')) {
    throw new Error(`kafkajs ${version}: re-check libs/kafka/src/request-queue-fix.ts against its RequestQueue before upgrading`);
  }
  const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as { prototype: PatchableQueue };
  if (typeof RequestQueue.prototype.scheduleCheckPendingRequests !== 'function' || typeof RequestQueue.prototype.checkPendingRequests !== 'function') {
    throw new Error(`kafkajs ${version}: RequestQueue no longer has the methods request-queue-fix.ts replaces`);
  }
  RequestQueue.prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
  applied = true;
}
