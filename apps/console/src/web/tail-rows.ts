/**
 * The live tail's rows: the status stream's events as the table shows them, kept newest first and
 * at most MAX_ROWS, with a marker where the stream was lost and picked up again.
 */
export interface StatusRow {
  kind: 'status';
  key: string;
  at: string;
  delivery_id: string;
  subscription_id: string;
  event_id: string;
  attempt: number;
  outcome: string;
  status_code: number | null;
  error_class: string | null;
  duration_ms: number | null;
}

export interface GapRow {
  kind: 'gap';
  key: string;
  /** When the stream was lost, and when it was back: outcomes in between were not streamed. */
  from: string;
  to: string;
}

export type TailRow = StatusRow | GapRow;

export const MAX_ROWS = 500;

const str = (v: unknown): string | null => (typeof v === 'string' && v.length <= 200 ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** One event's data as a row, or null when it is not a delivery status (never trusted blindly). */
export function statusRowOf(data: string, id: string | null): StatusRow | null {
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  const delivery = str(o['delivery_id']);
  const outcome = str(o['outcome']);
  const at = str(o['at']);
  const attempt = num(o['attempt']);
  if (!delivery || !outcome || !at || attempt === null) return null;
  return {
    kind: 'status',
    key: id ?? `${delivery}.${String(attempt)}.${at}`,
    at,
    delivery_id: delivery,
    subscription_id: str(o['subscription_id']) ?? '',
    event_id: str(o['event_id']) ?? '',
    attempt,
    outcome,
    status_code: num(o['status_code']),
    error_class: str(o['error_class']),
    duration_ms: num(o['duration_ms']),
  };
}

/** Adds rows at the top, newest first, dropping the oldest past MAX_ROWS; a row already shown (a redelivered event) is not added twice. */
export function addRows(rows: readonly TailRow[], added: readonly TailRow[]): TailRow[] {
  const seen = new Set(rows.map((r) => r.key));
  const fresh = added.filter((r) => !seen.has(r.key) && (seen.add(r.key), true));
  return [...fresh.reverse(), ...rows].slice(0, MAX_ROWS);
}

export interface TailFilter {
  /** Only failures (anything but delivered). */
  failuresOnly: boolean;
  /** Text the event id or delivery id contains. */
  text: string;
}

export function shown(row: TailRow, f: TailFilter): boolean {
  if (row.kind === 'gap') return true;
  if (f.failuresOnly && row.outcome === 'delivered') return false;
  const t = f.text.trim();
  return !t || row.event_id.includes(t) || row.delivery_id.includes(t);
}
