import { isBigintDigits, isUnstorableText, timestampProblem } from '@hookstream/contracts';
import { DomainError } from '@hookstream/domain';

/**
 * `micros`: microseconds since the epoch as digits; Postgres timestamps are finer than a JS Date.
 * `bigint`: any other non-negative bigint as digits (a sequence value, a transaction id).
 */
export type CursorPart = 'timestamp' | 'micros' | 'bigint' | 'uuid' | 'text';

/** A forged cursor must not reach Postgres with a value it refuses (year 0, bigint overflow, U+0000). */
const VALID: Record<CursorPart, (s: string) => boolean> = {
  timestamp: (s) => timestampProblem(s) === null,
  micros: isBigintDigits,
  bigint: isBigintDigits,
  uuid: (s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s),
  text: (s) => !isUnstorableText(s),
};

/**
 * Opaque cursors for keyset pagination: the sort key of the last row of a page, base64url'd so
 * callers treat it as a token, not a query language.
 */
export function encodeCursor(parts: readonly string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** The parts of a cursor, each checked against its kind, or a 422 naming `path` (the parameter it came in). */
export function decodeCursor(cursor: string, kinds: readonly CursorPart[], path = 'cursor'): string[] {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parts = null;
  }
  if (Array.isArray(parts) && parts.length === kinds.length && parts.every((p, i) => typeof p === 'string' && VALID[kinds[i] ?? 'text'](p))) {
    return parts as string[];
  }
  throw new DomainError('validation_failed', 'invalid cursor', [{ path, message: 'use next_cursor from a previous page' }]);
}

/** `next_cursor` for a page: present only when the page is full. */
export function nextCursor<T>(rows: readonly T[], limit: number, key: (last: T) => string[]): string | null {
  const last = rows[rows.length - 1];
  return rows.length === limit && last !== undefined ? encodeCursor(key(last)) : null;
}
