/** How the console writes times and outcomes: the browser's zone on screen, UTC on hover. */

export interface ShownTime {
  /** In the browser's time zone, as people read it there. */
  local: string;
  /** The same instant in UTC (ISO 8601), for the tooltip and for pasting into a ticket. */
  utc: string;
}

export function showTime(iso: string | null | undefined, timeZone?: string, locale = 'en-GB'): ShownTime | null {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  const local = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
    timeZoneName: 'short',
    ...(timeZone ? { timeZone } : {}),
  }).format(d);
  return { local, utc: d.toISOString() };
}

/** A Mantine colour per delivery status and attempt outcome: red is what needs on-call. */
export function statusColor(status: string | null | undefined): string {
  switch (status) {
    case 'delivered':
      return 'green';
    case 'pending':
    case 'postponed':
      return 'gray';
    case 'failing':
    case 'retry_scheduled':
      return 'yellow';
    case 'dead':
    case 'dead_lettered':
      return 'red';
    default:
      return 'blue';
  }
}

/** A duration as people read it: 840 ms, 2.4 s, 3 min. */
export function showDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** At most `max` characters of a receiver's answer, so one huge body cannot swamp a page. */
export function excerpt(text: string | null | undefined, max = 500): string {
  if (!text) return '';
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}
