import { isoTimestampSchema } from '@hookstream/contracts';
import { z } from 'zod';
import { deadLetterFilterFields } from '../dead-letters/dead-letter-filter.js';

/** The fields that pick deliveries; event type and status code read as in the dead-letter list. */
export const deliveryFilterFields = {
  subscription_id: z.uuid().optional(),
  event_type: deadLetterFilterFields.event_type,
  status: z.enum(['pending', 'delivered', 'failing', 'dead']).optional(),
  /** The last answer's status code (`503`), or a class (`5xx`). */
  status_code: deadLetterFilterFields.status_code,
  /** Created (fanned out) at or after this time. */
  since: isoTimestampSchema.optional(),
  /** Created before this time. */
  until: isoTimestampSchema.optional(),
};

export type DeliveryFilter = z.infer<z.ZodObject<typeof deliveryFilterFields>>;

/** Appends `value` to `params` and answers its placeholder: values are never interpolated. */
export function bind(params: unknown[], value: unknown): string {
  params.push(value);
  return `$${params.length}`;
}

/** SQL conditions selecting the filter's deliveries from `deliveries d`. */
export function deliveryConditions(filter: DeliveryFilter, params: unknown[]): string[] {
  const where: string[] = [];
  if (filter.subscription_id) where.push(`d.subscription_id = ${bind(params, filter.subscription_id)}::uuid`);
  const type = filter.event_type;
  if (type && type !== '*') where.push(type.endsWith('.*') ? `starts_with(d.event_type, ${bind(params, type.slice(0, -1))})` : `d.event_type = ${bind(params, type)}`);
  if (filter.status) where.push(`d.status = ${bind(params, filter.status)}`);
  const code = filter.status_code;
  if (code) {
    if (code.endsWith('xx')) {
      const hundreds = Number(code[0]) * 100;
      where.push(`d.last_status_code BETWEEN ${bind(params, hundreds)} AND ${bind(params, hundreds + 99)}`);
    } else {
      where.push(`d.last_status_code = ${bind(params, Number(code))}`);
    }
  }
  if (filter.since) where.push(`d.created_at >= ${bind(params, filter.since)}::timestamptz`);
  if (filter.until) where.push(`d.created_at < ${bind(params, filter.until)}::timestamptz`);
  return where;
}

/** A keyset position: microseconds since the epoch (Postgres keeps them) and the row's id. */
export function microsCondition(column: string, idColumn: string, micros: string, id: string, params: unknown[], idType: 'uuid' | 'text'): string {
  return `(${column}, ${idColumn}) < ('epoch'::timestamptz + ${bind(params, micros)}::bigint * interval '1 microsecond', ${bind(params, id)}::${idType})`;
}

export const MICROS = (column: string): string => `(extract(epoch FROM ${column}) * 1000000)::bigint::text`;
