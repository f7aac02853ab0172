import { randomBytes } from 'node:crypto';

const TRACEPARENT_RE = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * W3C trace context for a message caused by `parent`: the same trace id with a new span id,
 * or a new trace when the cause carried none. One delivery stays one trace across every hop.
 */
export function childTraceparent(parent?: string | null): string {
  const m = parent ? TRACEPARENT_RE.exec(parent) : null;
  const traceId = m ? (m[1]) : randomBytes(16).toString('hex');
  const flags = m ? (m[3]) : '01';
  return `00-${traceId}-${randomBytes(8).toString('hex')}-${flags}`;
}

export function traceIdOf(traceparent: string | null | undefined): string | null {
  const m = traceparent ? TRACEPARENT_RE.exec(traceparent) : null;
  return m ? (m[1]) : null;
}
