import { isKafkaContentError, PRODUCE_RETRY, produceRetryDelayMs } from './produce-retry.js';

describe('produceRetryDelayMs', () => {
  it('doubles from 300 ms to a 5 s cap and gives up after the ninth try, about 24 s in', () => {
    const delays: number[] = [];
    for (let attempt = 1; ; attempt++) {
      const d = produceRetryDelayMs(attempt);
      if (d === null) break;
      delays.push(d);
    }
    expect(delays).toEqual([300, 600, 1200, 2400, 4800, 5000, 5000, 5000]);
    expect(delays.length + 1).toBe(PRODUCE_RETRY.attempts);
    expect(delays.reduce((a, b) => a + b, 0)).toBe(24_300);
  });

  it('follows a given policy, and answers null for nonsense attempt numbers', () => {
    expect(produceRetryDelayMs(1, { attempts: 2, initialMs: 10, maxMs: 50 })).toBe(10);
    expect(produceRetryDelayMs(2, { attempts: 2, initialMs: 10, maxMs: 50 })).toBeNull();
    expect(produceRetryDelayMs(1, { attempts: 1, initialMs: 10, maxMs: 50 })).toBeNull();
    expect(produceRetryDelayMs(0)).toBeNull();
    expect(produceRetryDelayMs(Number.NaN)).toBeNull();
  });
});

describe('isKafkaContentError', () => {
  it('finds a content answer on the error or inside the wrappers around it', () => {
    expect(isKafkaContentError({ type: 'MESSAGE_TOO_LARGE' })).toBe(true);
    expect(isKafkaContentError({ name: 'KafkaJSNumberOfRetriesExceeded', originalError: { type: 'INVALID_RECORD' } })).toBe(true);
    expect(isKafkaContentError({ cause: { cause: { type: 'CORRUPT_MESSAGE' } } })).toBe(true);
  });

  it('does not call the broker state a content answer, nor look deeper than four wrappers', () => {
    expect(isKafkaContentError({ type: 'NOT_LEADER_FOR_PARTITION' })).toBe(false);
    expect(isKafkaContentError(new Error('Connection error'))).toBe(false);
    expect(isKafkaContentError(null)).toBe(false);
    expect(isKafkaContentError('MESSAGE_TOO_LARGE')).toBe(false);
    let deep: object = { type: 'MESSAGE_TOO_LARGE' };
    for (let i = 0; i < 5; i++) deep = { cause: deep };
    expect(isKafkaContentError(deep)).toBe(false);
  });

  it('survives a cycle of wrappers', () => {
    const a: { cause?: unknown } = {};
    a.cause = { originalError: a };
    expect(isKafkaContentError(a)).toBe(false);
  });
});
