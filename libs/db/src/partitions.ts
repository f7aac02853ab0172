import type { DayPartition } from '@hookstream/domain';
import { BackgroundWorker, type Logger, type Metrics } from '@hookstream/platform';
import type { DataSource, EntityManager } from 'typeorm';

const DAY_MS = 24 * 3600 * 1000;
const CHECK_INTERVAL_MS = 3600 * 1000;
/** Days moved out of the default partition per pass, so one pass stays short. */
const MAX_RESCUES_PER_PASS = 400;

/** Anything that runs SQL: a DataSource, an EntityManager in a transaction, a QueryRunner. */
export interface SqlRunner {
  query<T = unknown>(sql: string, params?: unknown[]): Promise<T>;
}

/**
 * A table range-partitioned by UTC day: partitions `<table>_pYYYYMMDD` hold [day, day + 1) of
 * `column`, and `<table>_default` catches rows of days nobody made a partition for.
 */
export interface DailyPartitionedTable {
  table: string;
  column: string;
  /** pg_advisory_xact_lock key held while any replica creates or drops this table's partitions. */
  lockKey: bigint;
}

export const EVENTS_TABLE: DailyPartitionedTable = { table: 'events', column: 'received_at', lockKey: 0x68732d7061727473n };
export const DELIVERY_ATTEMPTS_TABLE: DailyPartitionedTable = { table: 'delivery_attempts', column: 'started_at', lockKey: 0x68732d6174747073n };

export function startOfUtcDay(t: Date): Date {
  return new Date(Math.floor(t.getTime() / DAY_MS) * DAY_MS);
}

/** `events_p20261122`: one UTC day, [2026-11-22, 2026-11-23). Retention drops these by name. */
export function dailyPartitionName(table: string, day: Date): string {
  return `${table}_p${day.toISOString().slice(0, 10).replaceAll('-', '')}`;
}

export function defaultPartitionName(table: string): string {
  return `${table}_default`;
}

/** The day partitions attached to the table (the default one left out), by name and range. */
export async function dayPartitions(db: SqlRunner, table: string): Promise<DayPartition[]> {
  return [...(await attachedPartitions(db, table))].flatMap((name) => parseDayPartition(table, name) ?? []);
}

/** The day a `<table>_pYYYYMMDD` name stands for; null for any other name. */
export function parseDayPartition(table: string, name: string): DayPartition | null {
  const m = new RegExp(`^${table}_p(\\d{4})(\\d{2})(\\d{2})$`).exec(name);
  if (!m) return null;
  const from = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return { name, from, to: new Date(from.getTime() + DAY_MS) };
}

async function attachedPartitions(db: SqlRunner, table: string): Promise<Set<string>> {
  const rows = await db.query<{ name: string }[]>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass`,
    [table],
  );
  return new Set(rows.map((r) => r.name));
}

export interface PartitionPass {
  created: string[];
  /** Rows moved from the default partition into a partition made for their day. */
  rescuedRows: number;
  /** Consecutive days from today that have a partition after this pass. */
  daysAhead: number;
}

/**
 * Keeps a table partitioned by day ahead of time: today and the next `aheadDays` days get
 * partitions, and rows that landed in the default partition (no partition existed for their day,
 * e.g. rows migrated from before partitioning) move into a partition made for their day. Each
 * partition is made in its own short transaction under the table's advisory lock, so any number
 * of replicas can run this at once, and a lock timeout keeps the DDL from queueing in front of
 * inserts behind a long transaction.
 */
export async function ensureDailyPartitions(db: DataSource, spec: DailyPartitionedTable, aheadDays: number): Promise<PartitionPass> {
  const pass: PartitionPass = { created: [], rescuedRows: 0, daysAhead: 0 };
  const fallback = defaultPartitionName(spec.table);
  for (let i = 0; i < MAX_RESCUES_PER_PASS; i++) {
    const [oldest] = await db.query<{ at: Date | null }[]>(`SELECT min(${spec.column}) AS at FROM ${fallback}`);
    if (!oldest?.at) break;
    await createDay(db, spec, startOfUtcDay(new Date(oldest.at)), pass);
  }
  const [clock] = await db.query<{ now: Date }[]>('SELECT now() AS now');
  const today = startOfUtcDay(new Date(clock?.now ?? Date.now()));
  const existing = await attachedPartitions(db, spec.table);
  for (let d = 0; d <= aheadDays; d++) {
    const day = new Date(today.getTime() + d * DAY_MS);
    if (!existing.has(dailyPartitionName(spec.table, day))) await createDay(db, spec, day, pass);
  }
  const now = await attachedPartitions(db, spec.table);
  while (now.has(dailyPartitionName(spec.table, new Date(today.getTime() + pass.daysAhead * DAY_MS)))) pass.daysAhead++;
  return pass;
}

/**
 * One day's partition, with whatever the default partition holds for that day moved into it.
 * The DDL runs in hookstream_add_day_partition (migration 0023), owned by the migrations' role:
 * the service's own role may ask for a day partition of its table and nothing else.
 */
async function createDay(db: DataSource, spec: DailyPartitionedTable, day: Date, pass: PartitionPass): Promise<void> {
  const name = dailyPartitionName(spec.table, day);
  await db.transaction(async (em: EntityManager) => {
    await em.query(`SET LOCAL lock_timeout = '5s'`);
    await em.query('SELECT pg_advisory_xact_lock($1)', [spec.lockKey.toString()]);
    if ((await attachedPartitions(em, spec.table)).has(name)) return;
    const [moved] = await em.query<{ n: number }[]>('SELECT hookstream_add_day_partition($1, $2::date) AS n', [spec.table, day.toISOString().slice(0, 10)]);
    pass.created.push(name);
    pass.rescuedRows += moved?.n ?? 0;
  });
}

/**
 * The owning service's upkeep of a daily-partitioned table: ensureDailyPartitions at boot and
 * hourly, with a gauge of how many days ahead are covered.
 */
export abstract class DailyPartitionsWorker extends BackgroundWorker<PartitionPass> {
  private readonly coverage;

  protected constructor(
    private readonly db: DataSource,
    private readonly spec: DailyPartitionedTable,
    private readonly aheadDays: number,
    private readonly logger: Logger,
    metrics: Metrics,
  ) {
    super(CHECK_INTERVAL_MS, (err) => logger.error({ err, table: spec.table }, 'partition maintenance failed; retrying at the next tick'));
    this.coverage = metrics.gauge(`hookstream_${spec.table}_partition_days_ahead`, `Consecutive days from today that have a ${spec.table} partition (alert below 2)`);
  }

  protected work(): Promise<PartitionPass> {
    return this.ensure();
  }

  async ensure(): Promise<PartitionPass> {
    const pass = await ensureDailyPartitions(this.db, this.spec, this.aheadDays);
    this.coverage.set(pass.daysAhead);
    if (pass.created.length) this.logger.info({ table: this.spec.table, created: pass.created, rescued_rows: pass.rescuedRows }, 'created partitions');
    return pass;
  }
}
