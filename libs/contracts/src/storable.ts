import { z } from 'zod';

/**
 * What Postgres and Kafka accept, checked at the edge so hostile input answers 4xx with a field
 * path instead of failing a query (500) or stalling a consumer. Every route and the ingest topic
 * use these, so the rules are the same however a value arrives.
 */

/** `data` (an event's payload, a subscription's sample data) nests at most this many levels. */
export const MAX_DATA_DEPTH = 32;
/** A whole JSON body nests at most this deep; deeper is refused before anything walks it. */
export const MAX_BODY_DEPTH = 64;

/** Timestamps the API accepts: 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z, UTC offsets within ±14:00. */
export const MIN_TIMESTAMP_MS = Date.UTC(1970, 0, 1);
export const MAX_TIMESTAMP_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const MAX_OFFSET_MINUTES = 14 * 60;
const MAX_TIMESTAMP_LENGTH = 40;

export const INT32_MIN = -(2 ** 31);
export const INT32_MAX = 2 ** 31 - 1;
/** Postgres bigint; values travel as digit strings because they outgrow a JS number. */
export const BIGINT_MAX = 9223372036854775807n;

export type JsonPath = (string | number)[];

/** `a.0.b`, or `(root)` for the value itself: how every error names a field. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.length ? path.map(String).join('.') : '(root)';
}

/**
 * Why an ISO 8601 timestamp (already well-formed: a real calendar date, no leap second) cannot be
 * stored, or null: outside the documented range (Postgres has no year 0, JS dates end in 275760),
 * or an offset no time zone uses.
 */
export function timestampProblem(value: string): string | null {
  if (value.length > MAX_TIMESTAMP_LENGTH) return `must be at most ${MAX_TIMESTAMP_LENGTH} characters`;
  const offset = /([+-])(\d\d):?(\d\d)$/.exec(value);
  if (offset && Number(offset[2]) * 60 + Number(offset[3]) > MAX_OFFSET_MINUTES) return 'the UTC offset must be within ±14:00';
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) return 'must be an ISO 8601 timestamp';
  if (ms < MIN_TIMESTAMP_MS || ms > MAX_TIMESTAMP_MS) return 'must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z';
  return null;
}

/** An ISO 8601 timestamp with an offset (`Z` or `±hh:mm`) in the storable range. */
export const isoTimestampSchema = z.iso.datetime({ offset: true, abort: true }).superRefine((value, ctx) => {
  const problem = timestampProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** A whole number a Postgres `integer` column holds. */
export const int32Schema = z.number().int().min(INT32_MIN).max(INT32_MAX);

/** Whether a digit string fits a non-negative Postgres bigint. */
export function isBigintDigits(value: string): boolean {
  return /^\d{1,19}$/.test(value) && BigInt(value) <= BIGINT_MAX;
}

/** In `u` mode a surrogate pair is one code point, so \p{Cs} matches only unpaired halves. */
const LONE_SURROGATE = /\p{Cs}/u;

/** U+0000 (text and jsonb refuse it) or an unpaired UTF-16 surrogate (not encodable as UTF-8). */
export function isUnstorableText(value: string): boolean {
  return value.includes('\u0000') || LONE_SURROGATE.test(value);
}

export const UNSTORABLE_TEXT_MESSAGE = 'text must not contain U+0000 or unpaired surrogates';

/**
 * Every place (up to `max`) in a JSON-like value where a string or key holds unstorable text. Both
 * are valid JSON, so a parser lets them through. Iterative: a deep value cannot overflow the stack.
 */
export function unstorableTextPaths(value: unknown, max = 20): JsonPath[] {
  const found: JsonPath[] = [];
  // Paths are linked to their parent and spelled out only when reported: copying them per level
  // would make a 100,000-level value cost 10^10 steps.
  const stack: [unknown, PathLink | null][] = [[value, null]];
  while (stack.length && found.length < max) {
    const [node, link] = stack.pop() as [unknown, PathLink | null];
    if (node === BAD_KEY) {
      found.push(spell(link));
      continue;
    }
    if (typeof node === 'string') {
      if (isUnstorableText(node)) found.push(spell(link));
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    const entries: [string | number, unknown][] = Array.isArray(node) ? [...node.entries()] : Object.entries(node);
    // Reversed onto the stack, so paths come out in document order.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i];
      if (typeof key === 'string' && isUnstorableText(key)) stack.push([BAD_KEY, { parent: link, key }]);
      else if (typeof child === 'string' || (typeof child === 'object' && child !== null)) stack.push([child, { parent: link, key }]);
    }
  }
  return found.slice(0, max);
}

/** Stands on the walk's stack for a key that is itself unstorable, so it is reported in order. */
const BAD_KEY = Symbol('bad key');

interface PathLink {
  parent: PathLink | null;
  key: string | number;
}

function spell(link: PathLink | null): JsonPath {
  const path: JsonPath = [];
  for (let at = link; at; at = at.parent) path.push(at.key);
  return path.reverse();
}

/** The first place a value holds unstorable text, or null. */
export function unstorableTextAt(value: unknown, path: JsonPath = []): JsonPath | null {
  const [first] = unstorableTextPaths(value, 1);
  return first ? [...path, ...first] : null;
}

/**
 * The path of the first object or array nested deeper than `maxDepth` levels (a scalar is 0, `{}`
 * is 1), or null. Iterative, and checked before anything recursive walks the value.
 */
export function tooDeepAt(value: unknown, maxDepth: number): JsonPath | null {
  const stack: [unknown, JsonPath][] = [[value, []]];
  while (stack.length) {
    const [node, path] = stack.pop() as [unknown, JsonPath];
    if (typeof node !== 'object' || node === null) continue;
    if (path.length >= maxDepth) return path;
    for (const [key, child] of Array.isArray(node) ? node.entries() : Object.entries(node)) {
      if (typeof child === 'object' && child !== null) stack.push([child, [...path, key]]);
    }
  }
  return null;
}

/**
 * A JSON object whose text can be stored, nested at most MAX_DATA_DEPTH levels: an event's `data`
 * and every free-form JSON a tenant sends (metadata, sample data).
 */
export const storableJsonObjectSchema = z.record(z.string(), z.unknown()).superRefine((data, ctx) => {
  const deep = tooDeepAt(data, MAX_DATA_DEPTH);
  if (deep) {
    ctx.addIssue({ code: 'custom', path: deep, message: `nested deeper than ${MAX_DATA_DEPTH} levels` });
    return;
  }
  const at = unstorableTextAt(data);
  if (at) ctx.addIssue({ code: 'custom', path: at, message: UNSTORABLE_TEXT_MESSAGE });
});
