import { describe, expect, it } from '@jest/globals';
import { deadLetterFilterSchema, filterConditions, replayedCondition } from './dead-letter-filter.js';

const conditions = (input: unknown, params: unknown[] = []) => ({ where: filterConditions(deadLetterFilterSchema.parse(input), params), params });

describe('dead letter filters', () => {
  it('select nothing out when empty or "*"', () => {
    expect(conditions({})).toEqual({ where: [], params: [] });
    expect(conditions({ event_type: '*' })).toEqual({ where: [], params: [] });
  });

  it('bind every value as a parameter, numbered after the caller’s', () => {
    const sub = '6f1c2a4e-8d0b-4c55-9a43-2f9e5b1d7c10';
    expect(
      conditions(
        { subscription_id: sub, event_type: 'order.placed', since: '2026-11-22T00:00:00Z', until: '2026-11-23T00:00:00Z', status_code: 503, error_class: 'http_status' },
        ['job-id'],
      ),
    ).toEqual({
      where: [
        'd.subscription_id = $2::uuid',
        'd.event_type = $3',
        'd.dead_at >= $4::timestamptz',
        'd.dead_at < $5::timestamptz',
        'd.last_status_code = $6',
        'd.error_class = $7',
      ],
      params: ['job-id', sub, 'order.placed', '2026-11-22T00:00:00Z', '2026-11-23T00:00:00Z', 503, 'http_status'],
    });
  });

  it('match a prefix like subscription filters do, and a status class as a range', () => {
    expect(conditions({ event_type: 'order.*', status_code: '4xx' })).toEqual({
      where: ['starts_with(d.event_type, $1)', 'd.last_status_code BETWEEN $2 AND $3'],
      params: ['order.', 400, 499],
    });
  });

  it('refuse what cannot be a filter, naming the field', () => {
    const paths = (input: unknown) => deadLetterFilterSchema.safeParse(input).error?.issues.map((i) => i.path.join('.'));
    expect(paths({ status_code: '5x' })).toEqual(['status_code']);
    expect(paths({ status_code: 99 })).toEqual(['status_code']);
    expect(paths({ event_type: 'order.%' })).toEqual(['event_type']);
    expect(paths({ since: '2026-11-23T00:00:00Z', until: '2026-11-22T00:00:00Z' })).toEqual(['until']);
    expect(paths({ subscription: 'x' })).toEqual(['']);
  });

  it('select a chosen set of dead letters by delivery id, each once, with the other fields', () => {
    const [a, b] = ['6f1c2a4e-8d0b-4c55-9a43-2f9e5b1d7c10', '0b1c2a4e-8d0b-4c55-9a43-2f9e5b1d7c11'];
    expect(conditions({ delivery_ids: [a, b, a], error_class: 'timeout' })).toEqual({
      where: ['d.error_class = $1', 'd.delivery_id = ANY($2::uuid[])'],
      params: ['timeout', [a, b]],
    });
    const paths = (input: unknown) => deadLetterFilterSchema.safeParse(input).error?.issues.map((i) => i.path.join('.'));
    expect(paths({ delivery_ids: [] })).toEqual(['delivery_ids']);
    expect(paths({ delivery_ids: ['not-a-uuid'] })).toEqual(['delivery_ids.0']);
    expect(paths({ delivery_ids: Array.from({ length: 1001 }, () => a) })).toEqual(['delivery_ids']);
  });

  it('tell a replayed latest death from one awaiting replay', () => {
    expect(replayedCondition(true)).toBe('d.replayed_dead_at = d.dead_at');
    expect(replayedCondition(false)).toBe('d.replayed_dead_at IS DISTINCT FROM d.dead_at');
  });
});
