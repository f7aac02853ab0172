import { describe, expect, it } from '@jest/globals';
import { chunk, execute, SqlParams, valuesPlaceholders } from './sql.js';

describe('valuesPlaceholders', () => {
  it('numbers the parameters row by row, with casts', () => {
    expect(valuesPlaceholders(2, 2, ['uuid'])).toBe('($1::uuid, $2), ($3::uuid, $4)');
  });
});

describe('SqlParams', () => {
  it('numbers values across parts in the order they are added, with casts', () => {
    const p = new SqlParams();
    const first = p.rows([[1, 'a'], [2, 'b']], ['int', 'text']);
    const second = p.one(['x', 'y'], 'text[]');
    expect(first).toBe('($1::int, $2::text), ($3::int, $4::text)');
    expect(second).toBe('$5::text[]');
    expect(p.values).toEqual([1, 'a', 2, 'b', ['x', 'y']]);
  });
});

describe('chunk', () => {
  it('splits into pieces of at most the size', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});

describe('execute', () => {
  const answering = (result: unknown) => ({ query: () => Promise.resolve(result) });

  it('answers the row count of an UPDATE or DELETE', async () => {
    await expect(execute(answering([[], 3]), 'UPDATE t SET a = 1')).resolves.toBe(3);
    await expect(execute(answering([[{ id: 1 }], 1]), 'DELETE FROM t RETURNING id')).resolves.toBe(1);
  });

  it('refuses a statement that does not report a count, rather than guessing 0', async () => {
    await expect(execute(answering([{ id: 1 }]), 'INSERT INTO t VALUES (1) RETURNING id')).rejects.toThrow(TypeError);
  });
});
