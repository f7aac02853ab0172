import { describe, expect, it } from '@jest/globals';
import { classifyFailure, isCoordinatorStarting } from './failure-class.js';

const pg = (code: string, message = 'pg error') => Object.assign(new Error(message), { code });
const kafka = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(name), { name, ...extra });

describe('classifyFailure', () => {
  it.each([
    ['connection exception', pg('08006')],
    ['cannot connect now', pg('57P03')],
    ['admin shutdown', pg('57P01')],
    ['too many connections', pg('53300')],
    ['serialization failure', pg('40001')],
    ['deadlock', pg('40P01')],
    ['lock timeout', pg('55P03')],
    ['statement timeout', pg('57014')],
    ['refused socket', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })],
    ['reset socket', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['socket timeout', Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })],
    ['pg pool lost its connection', new Error('Connection terminated unexpectedly')],
    ['TypeORM wrapping a pg connection error', Object.assign(new Error('query failed'), { driverError: pg('08001') })],
    ['every address refused (AggregateError)', new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' }), Object.assign(new Error('b'), { code: 'ECONNREFUSED' })])],
    ['kafkajs connection error', kafka('KafkaJSConnectionError', { retriable: true })],
    ['kafkajs request timeout', kafka('KafkaJSRequestTimeoutError', { retriable: true })],
    ['kafkajs retries exhausted on a retriable error', kafka('KafkaJSNumberOfRetriesExceeded', { retriable: false, cause: kafka('KafkaJSProtocolError', { retriable: true, type: 'LEADER_NOT_AVAILABLE' }) })],
    ['redis down', new Error('Connection is closed.')],
    ['redis gave up', Object.assign(new Error('Reached the max retries per request limit (which is 1).'), { name: 'MaxRetriesPerRequestError' })],
    ['a service saying a dependency is unavailable', Object.assign(new Error('down'), { name: 'DomainError', code: 'unavailable' })],
  ])('%s is transient', (_, err) => {
    expect(classifyFailure(err).kind).toBe('transient');
  });

  it.each([
    ['year 0000 (22008)', pg('22008', 'date/time field value out of range'), 'pg_22008'],
    ['NUL in text (22P05)', pg('22P05', 'unsupported Unicode escape sequence'), 'pg_22p05'],
    ['invalid byte sequence (22021)', pg('22021'), 'pg_22021'],
    ['integer out of range (22003)', pg('22003'), 'pg_22003'],
    ['unique violation (23505)', pg('23505'), 'pg_23505'],
    ['check violation (23514)', pg('23514'), 'pg_23514'],
    ['program limit (54000)', pg('54000'), 'pg_54000'],
    ['TypeORM wrapping a data exception', Object.assign(new Error('query failed'), { driverError: pg('22007') }), 'pg_22007'],
    ['TypeError from hostile content', new TypeError("Cannot read properties of undefined (reading 'x')"), 'typeerror'],
    ['RangeError', new RangeError('Invalid time value'), 'rangeerror'],
    ['message too large', kafka('KafkaJSProtocolError', { retriable: false, type: 'MESSAGE_TOO_LARGE' }), 'kafka_message_too_large'],
    ['message too large after retries', kafka('KafkaJSNumberOfRetriesExceeded', { retriable: false, cause: kafka('KafkaJSProtocolError', { retriable: false, type: 'MESSAGE_TOO_LARGE' }) }), 'kafka_message_too_large'],
    ['a string', 'boom', 'error'],
  ])('%s is deterministic', (_, err, code) => {
    expect(classifyFailure(err)).toMatchObject({ kind: 'deterministic', code });
  });

  it('keeps a bounded message', () => {
    expect(classifyFailure(new Error('x'.repeat(5000))).message).toHaveLength(1000);
  });
});

describe('isCoordinatorStarting', () => {
  it.each([
    ['the group still loading (a joinGroup answer)', Object.assign(new Error("The coordinator is loading and hence can't process requests for this group"), { type: 'GROUP_LOAD_IN_PROGRESS' })],
    ['no coordinator yet (a GroupCoordinator answer)', Object.assign(new Error('The group coordinator is not available'), { type: 'GROUP_COORDINATOR_NOT_AVAILABLE' })],
    ["kafkajs's log text of it", 'The group coordinator is not available'],
    ["kafkajs's crash line", "Crash: KafkaJSProtocolError: The coordinator is loading and hence can't process requests for this group"],
  ])('knows %s', (_, err) => {
    expect(isCoordinatorStarting(err)).toBe(true);
  });

  it.each([
    ['a coordinator that moved', Object.assign(new Error('This is not the correct coordinator for this group'), { type: 'NOT_COORDINATOR_FOR_GROUP' })],
    ['an unknown member', Object.assign(new Error('The coordinator is not aware of this member'), { type: 'UNKNOWN_MEMBER_ID' })],
    ['a broker that is down', Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092'), { code: 'ECONNREFUSED' })],
    ['nothing', undefined],
  ])('does not take %s for it', (_, err) => {
    expect(isCoordinatorStarting(err)).toBe(false);
  });
});
