import { describe, expect, it } from '@jest/globals';
import { isDependencyUnavailable } from './unavailable.js';

describe('isDependencyUnavailable', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a server shutting down (57P01)', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['a server starting up (57P03)', Object.assign(new Error('the database system is starting up'), { code: '57P03' })],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a pool that cannot connect in time', new Error('timeout exceeded when trying to connect')],
    ['a TypeORM error wrapping one', Object.assign(new Error('query failed'), { driverError: { code: '08006', message: 'connection failure' } })],
    ['a cause chain', new Error('could not persist', { cause: Object.assign(new Error('x'), { code: '57P02' }) })],
  ])('says yes to %s', (_what, err) => {
    expect(isDependencyUnavailable(err)).toBe(true);
  });

  it.each([
    ['a constraint violation', Object.assign(new Error('duplicate key'), { code: '23505' })],
    ['a syntax error in our SQL', Object.assign(new Error('syntax error'), { code: '42601' })],
    ['a plain bug', new TypeError('cannot read properties of undefined')],
    ['not an error', 'Connection terminated'],
    ['nothing', null],
  ])('says no to %s', (_what, err) => {
    expect(isDependencyUnavailable(err)).toBe(false);
  });
});
