/**
 * Postgres (pg) and socket error codes that mean a dependency is down or restarting, not that the
 * request was wrong or the code broken: SQLSTATE class 08 (connection exception), 57P01-57P03
 * (admin shutdown, crash shutdown, cannot connect now) and refused or dropped connections.
 */
const UNAVAILABLE_CODES = new Set(['08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);
const UNAVAILABLE_MESSAGES = [/^Connection terminated/, /^timeout exceeded when trying to connect/, /Client has encountered a connection error/];

/**
 * True when `err` (or what it wraps: TypeORM keeps pg's error as `driverError`, others as `cause`)
 * says a dependency is unreachable, so a caller should retry soon: 503, not 500.
 */
export function isDependencyUnavailable(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 3) return false;
  const e = err as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.some((re) => re.test(e.message as string))) return true;
  return isDependencyUnavailable(e.driverError, depth + 1) || isDependencyUnavailable(e.cause, depth + 1);
}
