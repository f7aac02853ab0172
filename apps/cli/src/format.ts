export interface Column<T> {
  header: string;
  value: (row: T) => string | number | boolean | null | undefined;
  /** Longer values are cut with an ellipsis (default 60 characters). */
  max?: number;
}

/** Rows as a plain-text table with a header, columns padded to their widest value. */
export function table<T>(columns: ReadonlyArray<Column<T>>, rows: readonly T[]): string {
  const cells = rows.map((r) => columns.map((c) => cell(c.value(r), c.max ?? 60)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => (row[i] ?? '').length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join('\n');
}

/** `key: value` lines with the values aligned. */
export function fields(pairs: ReadonlyArray<[string, string | number | boolean | null | undefined]>): string {
  const width = Math.max(...pairs.map(([k]) => k.length)) + 1;
  return pairs.map(([k, v]) => `${`${k}:`.padEnd(width)} ${cell(v, Number.POSITIVE_INFINITY)}`).join('\n');
}

/** An ISO time to the second, which is what a person reading a table needs. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '-';
  return iso.replace(/\.\d{3}Z$/, 'Z');
}

export interface JobProgress {
  id: string;
  status: string;
  total: number;
  sent: number;
  skipped: number;
  rate_per_second: number;
  last_error?: string | null;
}

/** One line for a job on its way: status, counts, share done and time left at its rate. */
export function progressLine(job: JobProgress): string {
  const done = job.sent + job.skipped;
  const percent = job.total === 0 ? 100 : Math.floor((done / job.total) * 100);
  const left = job.total - done;
  const eta = job.status === 'running' || job.status === 'queued' ? `, about ${duration(Math.ceil(left / job.rate_per_second))} left at ${job.rate_per_second}/s` : '';
  const error = job.last_error ? ` (last error: ${job.last_error})` : '';
  return `job ${job.id} ${job.status}: ${job.sent} sent, ${job.skipped} skipped of ${job.total} (${percent}%)${eta}${error}`;
}

export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${seconds % 60 ? ` ${seconds % 60}s` : ''}`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return `${h}h${m ? ` ${m}m` : ''}`;
}

function cell(value: string | number | boolean | null | undefined, max: number): string {
  if (value === null || value === undefined || value === '') return '-';
  const text = String(value).replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
