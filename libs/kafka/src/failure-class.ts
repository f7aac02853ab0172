import { isKafkaContentError } from '@hookstream/domain';
import { isDependencyUnavailable } from '@hookstream/platform';

/**
 * What a consumer does about a failed batch. `transient`: a dependency is down or busy, so the
 * same batch is retried in place after a backoff (nothing is skipped, order is kept).
 * `deterministic`: the content cannot be processed, so the culprit message is found and
 * quarantined and the partition moves on.
 */
export type FailureClass = 'transient' | 'deterministic';

export interface ClassifiedFailure {
  kind: FailureClass;
  /** A bounded label for metrics and the quarantine record: `pg_22008`, `kafka_message_too_large`, `typeerror`. */
  code: string;
  message: string;
}

/**
 * SQLSTATEs that say Postgres is down, restarting, overloaded or made this transaction lose a
 * race: class 08 (connection), 53 (insufficient resources: too many connections, disk, memory),
 * 57P01-57P03 (shutdown, cannot connect now), 57014 (statement timeout), 55P03 (lock timeout),
 * 40001/40P01 (serialization failure, deadlock), 25P04 (idle transaction timeout).
 */
const TRANSIENT_SQLSTATES = new Set(['57P01', '57P02', '57P03', '57014', '55P03', '40001', '40P01', '25P04']);
const TRANSIENT_SQLSTATE_CLASSES = new Set(['08', '53']);
const TRANSIENT_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED']);
/** ioredis, when Redis is unreachable or the command queue gave up. */
const REDIS_DOWN = [/^Connection is closed/, /^Stream isn't writeable/, /max retries per request/i, /^Redis connection/i];

/**
 * The group's answers that this member must rejoin (or find the group's coordinator again):
 * the coordinator moved to another broker, the group is rebalancing, or it no longer knows this
 * member. kafkajs recovers from them only when they reach it, by rejoining; retried in place, a
 * batch would ask the old coordinator forever (a broker's loss in a cluster stalled every group).
 */
const KAFKA_MEMBERSHIP_ERRORS = new Set(['NOT_COORDINATOR_FOR_GROUP', 'REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID', 'COORDINATOR_NOT_AVAILABLE']);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  type?: unknown;
  retriable?: unknown;
  driverError?: unknown;
  cause?: unknown;
  originalError?: unknown;
  errors?: unknown;
}

/** Classifies anything a batch handler threw. Pure: the decision depends on the error alone. */
export function classifyFailure(err: unknown): ClassifiedFailure {
  const message = messageOf(err);
  if (isTransient(err, 0)) return { kind: 'transient', code: codeOf(err, 0) ?? 'unavailable', message };
  return { kind: 'deterministic', code: codeOf(err, 0) ?? 'error', message };
}

/**
 * A group coordinator that is not serving yet: a broker that just started is still creating
 * __consumer_offsets or loading a group from it. kafkajs retries, and restarts a consumer that
 * crashed on it; nobody needs to act.
 */
const COORDINATOR_STARTING = new Set(['GROUP_LOAD_IN_PROGRESS', 'GROUP_COORDINATOR_NOT_AVAILABLE', 'COORDINATOR_NOT_AVAILABLE']);
const COORDINATOR_STARTING_TEXT = /coordinator is loading|group coordinator is not available/i;

/** Whether an error (or kafkajs's log text of one) is a coordinator that is still starting. */
export function isCoordinatorStarting(err: unknown): boolean {
  if (typeof err === 'string') return COORDINATOR_STARTING_TEXT.test(err);
  if (typeof err !== 'object' || err === null) return false;
  const e = err as ErrorLike;
  return (typeof e.type === 'string' && COORDINATOR_STARTING.has(e.type)) || (typeof e.message === 'string' && COORDINATOR_STARTING_TEXT.test(e.message));
}

/** Whether a failure says this consumer lost its place in the group (KAFKA_MEMBERSHIP_ERRORS). */
export function isGroupMembershipError(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 4) return false;
  const e = err as ErrorLike;
  if (typeof e.type === 'string' && KAFKA_MEMBERSHIP_ERRORS.has(e.type)) return true;
  return isGroupMembershipError(e.cause, depth + 1) || isGroupMembershipError(e.originalError, depth + 1);
}

function isTransient(err: unknown, depth: number): boolean {
  if (typeof err !== 'object' || err === null || depth > 4) return false;
  const e = err as ErrorLike;
  if (isDependencyUnavailable(err)) return true;
  const code = typeof e.code === 'string' ? e.code : '';
  if (/^[0-9A-Z]{5}$/.test(code) && (TRANSIENT_SQLSTATES.has(code) || TRANSIENT_SQLSTATE_CLASSES.has(code.slice(0, 2)))) return true;
  if (TRANSIENT_SOCKET_CODES.has(code)) return true;
  // A DomainError('unavailable'): a service's own way of saying a dependency is down.
  if (e.name === 'DomainError' && code === 'unavailable') return true;
  if (e.name === 'MaxRetriesPerRequestError') return true;
  const msg = typeof e.message === 'string' ? e.message : '';
  if (REDIS_DOWN.some((re) => re.test(msg))) return true;
  if (typeof e.name === 'string' && e.name.startsWith('KafkaJS')) {
    // Anything but an answer about the message's content is the broker's state: connections,
    // timeouts, coordinators, leaders, authorization being fixed.
    return !isKafkaContentError(e);
  }
  return isTransientCause(e, depth);
}

function isTransientCause(e: ErrorLike, depth: number): boolean {
  if (isTransient(e.driverError, depth + 1) || isTransient(e.cause, depth + 1) || isTransient(e.originalError, depth + 1)) return true;
  // AggregateError (Node's happy-eyeballs connect) fails when every address refused.
  return Array.isArray(e.errors) && e.errors.length > 0 && e.errors.every((x) => isTransient(x, depth + 1));
}

function codeOf(err: unknown, depth: number): string | null {
  if (typeof err !== 'object' || err === null || depth > 4) return null;
  const e = err as ErrorLike;
  if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return `pg_${e.code.toLowerCase()}`;
  if (typeof e.type === 'string' && /^[A-Z_]{1,60}$/.test(e.type)) return `kafka_${e.type.toLowerCase()}`;
  const inner = codeOf(e.driverError, depth + 1) ?? codeOf(e.originalError, depth + 1) ?? codeOf(e.cause, depth + 1);
  if (inner) return inner;
  if (typeof e.code === 'string' && /^E[A-Z_]{2,30}$/.test(e.code)) return e.code.toLowerCase();
  if (typeof e.name === 'string' && /^[A-Za-z]{1,40}$/.test(e.name)) return e.name.toLowerCase();
  return null;
}

function messageOf(err: unknown): string {
  const raw = err instanceof Error ? err.message : typeof err === 'string' ? err : 'non-error thrown';
  return raw.slice(0, 1000);
}
