import { errorClassSchema, isoTimestampSchema } from '@hookstream/contracts';
import { isValidFilter } from '@hookstream/domain';
import { z } from 'zod';

/** A status code (`503`) or a class (`5xx`) as text, which is all a query string carries. */
export const statusCodeText = z.string().regex(/^[1-5](\d\d|xx)$/, 'must be a status code such as 503, or a class such as 5xx');

// A replay job's JSON body may give the code as a number too.
const statusCodeSchema = z.union([z.number().int().min(100).max(599).transform(String), statusCodeText]);

/** The fields that pick dead letters: used by the list, by bulk replay jobs and by recover. */
export const deadLetterFilterFields = {
  subscription_id: z.uuid().optional(),
  /** An exact type, a prefix such as `order.*`, or `*`. */
  event_type: z.string().max(130).refine(isValidFilter, 'must be an event type, a prefix such as "order.*", or "*"').optional(),
  /** Died at or after this time. */
  since: isoTimestampSchema.optional(),
  /** Died before this time. */
  until: isoTimestampSchema.optional(),
  /** The last answer's status code (`503`), or a class (`5xx`). */
  status_code: statusCodeSchema.optional(),
  error_class: errorClassSchema.optional(),
};

/** `since` and `until` bound a range, so `until` must come after `since`. */
export function checkTimeRange(f: { since?: string | undefined; until?: string | undefined }, ctx: z.RefinementCtx): void {
  if (f.since && f.until && Date.parse(f.since) >= Date.parse(f.until)) ctx.addIssue({ code: 'custom', path: ['until'], message: 'must be after since' });
}

/** At most this many ids in one selection: a page of the console is 25, a careful script 1,000. */
export const MAX_SELECTED_LETTERS = 1000;

/**
 * What a replay job replays: the list's fields, and optionally a selection of dead letters by
 * their delivery ids (the console's "select many"), combined with the other fields.
 */
export const deadLetterFilterSchema = z
  .strictObject({
    ...deadLetterFilterFields,
    delivery_ids: z.array(z.uuid()).min(1).max(MAX_SELECTED_LETTERS).optional().describe('Only these dead letters (their delivery ids), a selection'),
  })
  .superRefine(checkTimeRange);
export type DeadLetterFilter = z.infer<typeof deadLetterFilterSchema>;

/**
 * SQL conditions selecting the filter's dead letters from `dead_letters d`, with their values
 * appended to `params` (never interpolated).
 */
export function filterConditions(filter: DeadLetterFilter, params: unknown[]): string[] {
  const where: string[] = [];
  const p = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.subscription_id) where.push(`d.subscription_id = ${p(filter.subscription_id)}::uuid`);
  const type = filter.event_type;
  if (type && type !== '*') {
    // `order.*` matches `order.placed` and `order.item.added`, as subscription filters do.
    where.push(type.endsWith('.*') ? `starts_with(d.event_type, ${p(type.slice(0, -1))})` : `d.event_type = ${p(type)}`);
  }
  if (filter.since) where.push(`d.dead_at >= ${p(filter.since)}::timestamptz`);
  if (filter.until) where.push(`d.dead_at < ${p(filter.until)}::timestamptz`);
  const code = filter.status_code;
  if (code) {
    if (code.endsWith('xx')) {
      const hundreds = Number(code[0]) * 100;
      where.push(`d.last_status_code BETWEEN ${p(hundreds)} AND ${p(hundreds + 99)}`);
    } else {
      where.push(`d.last_status_code = ${p(Number(code))}`);
    }
  }
  if (filter.error_class) where.push(`d.error_class = ${p(filter.error_class)}`);
  if (filter.delivery_ids) where.push(`d.delivery_id = ANY(${p([...new Set(filter.delivery_ids)])}::uuid[])`);
  return where;
}

/** Letters whose latest death has (true) or has not (false) been replayed. */
export function replayedCondition(replayed: boolean): string {
  return replayed ? 'd.replayed_dead_at = d.dead_at' : 'd.replayed_dead_at IS DISTINCT FROM d.dead_at';
}
