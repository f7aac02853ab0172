import { describe, expect, it } from '@jest/globals';
import { DomainError } from '@hookstream/domain';
import { decodeCursor, encodeCursor, nextCursor } from './pagination.js';

describe('cursors', () => {
  it('round-trips and checks each part', () => {
    const c = encodeCursor(['2026-11-22T10:00:00.000Z', '3b6a5cd5-3750-5c3c-a02a-0fbc129a759f']);
    expect(decodeCursor(c, ['timestamp', 'uuid'])).toEqual(['2026-11-22T10:00:00.000Z', '3b6a5cd5-3750-5c3c-a02a-0fbc129a759f']);
  });

  it.each([
    ['not base64 json', 'ñ!'],
    ['wrong arity', encodeCursor(['2026-11-22T10:00:00Z'])],
    ['bad timestamp', encodeCursor(['yesterday', '3b6a5cd5-3750-5c3c-a02a-0fbc129a759f'])],
    ['bad uuid', encodeCursor(['2026-11-22T10:00:00Z', "'; drop table x"])],
  ])('refuses %s with a 422 naming cursor', (_why, cursor) => {
    let err: unknown;
    try {
      decodeCursor(cursor, ['timestamp', 'uuid']);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).httpStatus).toBe(422);
    expect((err as DomainError).details).toEqual([{ path: 'cursor', message: 'use next_cursor from a previous page' }]);
  });

  it.each([
    ['year 0', encodeCursor(['0000-01-01T00:00:00Z', 'a']), ['timestamp', 'text'] as const],
    ['micros beyond bigint', encodeCursor(['99999999999999999999', 'a']), ['micros', 'text'] as const],
    ['U+0000 in text', encodeCursor(['1', 'a\u0000b']), ['micros', 'text'] as const],
    ['a lone surrogate in text', encodeCursor(['1', '\ud800']), ['micros', 'text'] as const],
  ])('refuses a forged cursor Postgres would refuse: %s', (_why, cursor, kinds) => {
    expect(() => decodeCursor(cursor, kinds)).toThrow(DomainError);
  });

  it('reads bigint parts (a feed position) and names the parameter the cursor came in', () => {
    expect(decodeCursor(encodeCursor(['9223372036854775807', '1']), ['bigint', 'bigint'], 'after')).toEqual(['9223372036854775807', '1']);
    for (const parts of [['-1', '0'], ['9223372036854775808', '1'], ['1.5', '1'], ['0x10', '1'], [' 1', '1'], ['', '1']]) {
      let err: unknown;
      try {
        decodeCursor(encodeCursor(parts), ['bigint', 'bigint'], 'after');
      } catch (e) {
        err = e;
      }
      expect((err as DomainError).details).toEqual([{ path: 'after', message: 'use next_cursor from a previous page' }]);
    }
  });

  it('offers a next cursor only for a full page', () => {
    expect(nextCursor([{ id: 'a' }, { id: 'b' }], 2, (r) => [r.id])).toBe(encodeCursor(['b']));
    expect(nextCursor([{ id: 'a' }], 2, (r) => [r.id])).toBeNull();
  });
});
