/**
 * What a log line may carry. Every record passes through `redactRecord` before pino writes it, so
 * a careless call site (or an error object carrying a query's parameters) cannot put a secret, an
 * API key or an event payload into the logs. Pure functions: no I/O, no clock.
 */

export const REDACTED = '[redacted]';
export const MASK = '***';

/**
 * Fields that hold payloads, bodies or credentials: their values are never logged, whatever their
 * depth. Compared lower-case with `-` and `_` removed (`raw_body`, `rawBody`, `x-api-key` all match).
 */
const DROPPED_FIELDS = new Set([
  'payload', 'data', 'body', 'rawbody', 'requestbody', 'responsebody', 'value',
  'secret', 'secrets', 'signingsecret', 'privatekey', 'apikey', 'xapikey', 'key', 'token', 'accesstoken', 'refreshtoken',
  'password', 'passphrase', 'authorization', 'proxyauthorization', 'cookie', 'setcookie', 'credentials',
  // Database errors: the bound values, the SQL text (literals), and Postgres's own echo of values.
  'parameters', 'params', 'query', 'sql', 'detail', 'where', 'internalquery',
]);

/** HTTP header names whose values are credentials or signatures; the name stays, the value goes. */
const SENSITIVE_HEADER = /authorization|cookie|signature|secret|token|api-?key/i;

/** Field names whose string values are URLs: their query string and userinfo are masked. */
const URL_FIELD = /(url|uri|href|endpoint|location|target|origin|referer)$/i;

/** Secrets and keys recognisable by their prefix, wherever they appear in a string. */
const SECRET_TOKEN = /\b(whsec_|whsk_|hsk_)[A-Za-z0-9+/=_-]+/g;

/** `scheme://[userinfo@]host…` inside any text; stops at whitespace and quotes. */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;

/** Postgres echoes offending values after a colon: `invalid input syntax for type uuid: "…"`. */
const PG_QUOTED_VALUE = /: "(?:[^"\\]|\\.)*"/g;

/** Fields that call sites fill with an error's message as a string (`err: e.message`). */
const ERROR_TEXT_FIELD = /^(err|error|reason|cause)$/i;

const MAX_DEPTH = 8;
const MAX_ARRAY = 50;

function normalise(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

export function isDroppedField(name: string): boolean {
  return DROPPED_FIELDS.has(normalise(name));
}

/**
 * Keeps scheme, host, port and path; masks userinfo and every query value (names stay, so the
 * log still says which parameters were there); drops the fragment.
 */
export function maskUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return raw.includes('?') ? `${raw.slice(0, raw.indexOf('?'))}?${MASK}` : raw;
  }
  if (u.username || u.password) {
    u.username = MASK;
    u.password = '';
  }
  const names = [...u.searchParams.keys()];
  const query = names.length ? `?${names.map((n) => `${encodeURIComponent(n)}=${MASK}`).join('&')}` : u.search ? `?${MASK}` : '';
  u.hash = '';
  u.search = '';
  return `${u.toString()}${query}`;
}

/** Masks known secret tokens and every URL's query string and userinfo inside free text. */
export function scrubText(text: string): string {
  return text.replace(SECRET_TOKEN, (_m, prefix: string) => `${prefix}${MASK}`).replace(URL_IN_TEXT, (m) => maskUrl(m));
}

/** Text of a database error: values Postgres quotes after a colon are masked too. */
function scrubDbText(text: string): string {
  return scrubText(text.replace(PG_QUOTED_VALUE, `: "${MASK}"`));
}

function isDbError(err: Record<string, unknown>): boolean {
  return (
    'parameters' in err ||
    'driverError' in err ||
    err['name'] === 'QueryFailedError' ||
    (typeof err['severity'] === 'string' && typeof err['code'] === 'string' && ('routine' in err || 'file' in err))
  );
}

function redactHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = SENSITIVE_HEADER.test(name) ? REDACTED : typeof value === 'string' ? scrubText(value) : value;
  }
  return out;
}

/** An error as a plain object: type, message, stack, code and its other safe own fields. */
function redactError(err: Error & Record<string, unknown>, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const db = isDbError(err);
  const text = db ? scrubDbText : scrubText;
  const out: Record<string, unknown> = { type: err.constructor?.name ?? err.name, message: text(err.message ?? '') };
  if (typeof err.stack === 'string') out['stack'] = text(err.stack);
  for (const name of Object.keys(err)) {
    if (name === 'message' || name === 'stack') continue;
    // HTTP clients hang the whole request (headers, body, url) off their errors.
    if (['options', 'request', 'response', 'config', 'timings'].includes(name)) continue;
    out[name] = redactValue(name, err[name], depth + 1, seen, db);
  }
  if (err.cause !== undefined && !('cause' in out)) out['cause'] = redactValue('cause', err.cause, depth + 1, seen, db);
  return out;
}

function redactValue(name: string, value: unknown, depth: number, seen: WeakSet<object>, inDbError = false): unknown {
  if (isDroppedField(name)) return value === undefined || value === null ? value : REDACTED;
  if (typeof value === 'string') {
    // An error message passed as a string may be a pg message echoing a value.
    if (inDbError || ERROR_TEXT_FIELD.test(name)) return scrubDbText(value);
    return URL_FIELD.test(name) ? scrubText(value.includes('://') ? maskUrl(value) : value) : scrubText(value);
  }
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof URL) return maskUrl(value.href);
  if (value instanceof Date) return value;
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return REDACTED;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[truncated]';
  seen.add(value);
  try {
    if (value instanceof Error) return redactError(value as Error & Record<string, unknown>, depth, seen);
    if (Array.isArray(value)) return value.slice(0, MAX_ARRAY).map((v) => redactValue(name, v, depth + 1, seen, inDbError));
    if (normalise(name) === 'headers') return redactHeaders(value as Record<string, unknown>);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactValue(k, v, depth + 1, seen, inDbError);
    return out;
  } finally {
    seen.delete(value);
  }
}

/** The fields of one log record, safe to write. Never throws: a field it cannot read is replaced. */
export function redactRecord(record: Record<string, unknown>): Record<string, unknown> {
  const seen = new WeakSet<object>();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) {
    try {
      out[k] = redactValue(k, v, 0, seen);
    } catch {
      out[k] = '[unserialisable]';
    }
  }
  return out;
}

/**
 * The arguments of one log call, scrubbed where pino would not pass them through `redactRecord`:
 * message strings and interpolation values, and the message pino takes from an error's own
 * `message` when a call gives an error and no message.
 */
export function redactLogArgs(args: readonly unknown[]): unknown[] {
  const [first, ...rest] = args;
  const out = args.map((a) => (typeof a === 'string' ? scrubText(a) : a));
  if (typeof rest[0] === 'string') return out;
  const err = first instanceof Error ? first : typeof first === 'object' && first !== null && (first as { err?: unknown }).err instanceof Error ? (first as { err: Error }).err : undefined;
  if (!err) return out;
  const message = (redactRecord({ err })['err'] as { message?: unknown }).message;
  return [first instanceof Error ? { err: first } : first, typeof message === 'string' ? message : ''];
}
