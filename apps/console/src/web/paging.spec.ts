import { describe, expect, it } from '@jest/globals';
import { apiQuery, trailOf, withTrail } from './paging.ts';

describe('cursor paging in the URL', () => {
  it('keeps cursors whole, whatever they hold, and asks the API for the last', () => {
    const cursors = ['eyJ0IjoiMjAyNi0xMi0wNyJ9', 'a,b', 'with space/and=equals'];
    const query = withTrail({ status: 'dead' }, cursors);
    expect(trailOf(query)).toEqual(cursors);
    expect(apiQuery(query)).toEqual({ status: 'dead', cursor: 'with space/and=equals' });
    expect(apiQuery(withTrail(query, []))).toEqual({ status: 'dead' });
  });

  it('reads a mangled trail as the first page, and a cursor longer than the API allows as none', () => {
    expect(trailOf({ after: '%E0%A4%A' })).toEqual([]);
    expect(trailOf({ after: 'x'.repeat(501) })).toEqual([]);
    expect(trailOf({ after: ',,' })).toEqual([]);
    expect(trailOf({ after: Array.from({ length: 1000 }, (_, i) => `c${String(i)}`).join(',') })).toHaveLength(200);
  });
});
