import { type DayPartition, planPartitionRetention, type RetentionCutoffs } from '@hookstream/domain';
import { BackgroundWorker, type Logger, type Metrics } from '@hookstream/platform';
import type { DataSource, QueryRunner } from 'typeorm';
import { z } from 'zod';
import { type DailyPartitionedTable, dayPartitions, defaultPartitionName, parseDayPartition } from './partitions.js';

/** Variables of every retention job; each service adds the number of days it keeps its own tables. */
export const retentionJobConfigShape = {
  /** Time between the end of one retention run and the start of the next. */
  RETENTION_INTERVAL_MS: z.coerce.number().int().min(1000).max(7 * 24 * 3600 * 1000).default(3600 * 1000),
  /** Rows deleted (or scrubbed) per statement: each statement holds its row locks only this long. */
  RETENTION_BATCH_SIZE: z.coerce.number().int().min(100).max(50_000).default(5000),
  /**
   * The longest any retention statement waits for a lock. While a partition drop waits, inserts
   * into the table queue behind it, so this bounds how long retention can stall a writer.
   */
  RETENTION_LOCK_TIMEOUT_MS: z.coerce.number().int().min(10).max(5000).default(200),
};

export function retentionDaysSchema(defaultDays: number) {
  return z.coerce.number().int().min(1).max(3650).default(defaultDays);
}

export interface RetentionOptions {
  batchSize: number;
  lockTimeoutMs: number;
}

/** What one run did to one table. */
export interface TableRetention {
  table: string;
  droppedPartitions: string[];
  /** Expired partitions kept because tenants with a longer retention still have live rows there. */
  heldPartitions: { partition: string; tenants: string[] }[];
  /** Tables or partitions left for the next run: a lock was not granted within the lock timeout. */
  busy: string[];
  deletedRows: number;
  scrubbedRows: number;
}

export function emptyRetention(table: string): TableRetention {
  return { table, droppedPartitions: [], heldPartitions: [], busy: [], deletedRows: 0, scrubbedRows: 0 };
}

const LOCK_NOT_AVAILABLE = '55P03';
/** Extra tries of a statement refused a lock, a lock timeout apart, before the table waits for the next run. */
const LOCK_RETRIES = 3;

/** QueryRunner.query is untyped; callers name the row shape their SQL selects. */
function typed<T>(runner: QueryRunner, text: string, params?: unknown[]): Promise<T> {
  return runner.query(text, params) as Promise<T>;
}

function isLockTimeout(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === LOCK_NOT_AVAILABLE;
}

/**
 * The statements of one retention run, on one connection that holds the job's advisory lock and
 * a session lock_timeout. Every statement is short: deletes and scrubs touch one batch, a drop
 * is one DROP TABLE; none waits for a lock longer than the lock timeout.
 */
export class RetentionSession {
  constructor(
    private readonly runner: QueryRunner,
    private readonly options: RetentionOptions,
    private readonly stopping: () => boolean,
  ) {}

  private sql<T>(text: string, params?: unknown[]): Promise<T> {
    return typed<T>(this.runner, text, params);
  }

  /** Tenants with their own retention (tenants.retention_days), in days. */
  async overrides(): Promise<Map<string, number>> {
    const rows = await this.sql<{ id: string; days: number }[]>('SELECT id, retention_days AS days FROM tenants WHERE retention_days IS NOT NULL');
    return new Map(rows.map((r) => [r.id, r.days]));
  }

  /**
   * Expired day partitions are dropped whole, unless a tenant with a longer retention still has
   * live rows in one: that partition is kept (and reported) and only the other rows in it are
   * deleted, in batches, until the longer retention expires too. Tenants with a shorter retention
   * lose their expired rows from the live partitions in batches.
   */
  async partitions(spec: DailyPartitionedTable, cutoffs: RetentionCutoffs): Promise<TableRetention> {
    const report = emptyRetention(spec.table);
    for (const left of planPartitionRetention(await this.leftovers(spec), cutoffs).expired) await this.dropDetached(spec, left.name, report);
    const plan = planPartitionRetention(await dayPartitions(this.runner, spec.table), cutoffs);
    const keep = { tenants: cutoffs.longer.map((t) => t.tenantId), cutoffs: cutoffs.longer.map((t) => t.cutoff) };
    for (const partition of plan.expired) {
      if (this.stopping()) return report;
      const holders = keep.tenants.length
        ? await this.withLockRetries(() =>
            this.sql<{ tenant: string }[]>(
              `SELECT o.tenant FROM unnest($1::text[], $2::timestamptz[]) AS o(tenant, cutoff)
                WHERE EXISTS (SELECT 1 FROM ${partition.name} p WHERE p.tenant_id = o.tenant AND p.${spec.column} >= o.cutoff)`,
              [keep.tenants, keep.cutoffs],
            ),
          )
        : [];
      if (holders === null) {
        report.busy.push(partition.name);
        continue;
      }
      const held = holders.map((r) => r.tenant);
      if (held.length === 0) {
        await this.drop(spec, partition.name, report);
        continue;
      }
      report.heldPartitions.push({ partition: partition.name, tenants: held });
      await this.deleteWhere(
        partition.name,
        `NOT EXISTS (SELECT 1 FROM unnest($1::text[], $2::timestamptz[]) AS o(tenant, cutoff) WHERE o.tenant = tenant_id AND ${spec.column} >= o.cutoff)`,
        [keep.tenants, keep.cutoffs],
        report,
      );
    }
    for (const { tenant, partitions } of plan.trimmed) {
      for (const name of [...partitions.map((p) => p.name), defaultPartitionName(spec.table)]) {
        if (this.stopping()) return report;
        await this.deleteWhere(name, `tenant_id = $1 AND ${spec.column} < $2`, [tenant.tenantId, tenant.cutoff], report);
      }
    }
    return report;
  }

  /** A plain tenant-scoped table (not partitioned): the same policy, row by row in batches. */
  async tenantRows(table: string, column: string, cutoffs: RetentionCutoffs): Promise<TableRetention> {
    const report = emptyRetention(table);
    const longer = cutoffs.longer.map((t) => t.tenantId);
    await this.deleteWhere(table, `${column} < $1 AND tenant_id <> ALL($2::text[])`, [cutoffs.defaultCutoff, longer], report);
    for (const tenant of [...cutoffs.shorter, ...cutoffs.longer]) {
      if (this.stopping()) return report;
      await this.deleteWhere(table, `tenant_id = $1 AND ${column} < $2`, [tenant.tenantId, tenant.cutoff], report);
    }
    return report;
  }

  /** Deletes what `where` selects from a plain table or one partition, a batch per statement. */
  async deleteWhere(table: string, where: string, params: unknown[], report: TableRetention): Promise<void> {
    await this.batches(table, `DELETE FROM ${table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${table} WHERE ${where} LIMIT ${this.options.batchSize}))`, params, report, 'deletedRows');
  }

  /** Applies `set` to what `where` selects, a batch per statement; `where` must stop matching a row once set. */
  async updateWhere(table: string, set: string, where: string, params: unknown[], report: TableRetention): Promise<void> {
    await this.batches(table, `UPDATE ${table} SET ${set} WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${table} WHERE ${where} LIMIT ${this.options.batchSize}))`, params, report, 'scrubbedRows');
  }

  private async batches(table: string, statement: string, params: unknown[], report: TableRetention, counter: 'deletedRows' | 'scrubbedRows'): Promise<void> {
    const sql = `WITH touched AS (${statement} RETURNING 1) SELECT count(*)::int AS n FROM touched`;
    while (!this.stopping()) {
      const rows = await this.withLockRetries(() => this.sql<{ n: number }[]>(sql, params));
      if (rows === null) {
        report.busy.push(table);
        return;
      }
      const n = rows[0]?.n ?? 0;
      report[counter] += n;
      if (n < this.options.batchSize) return;
    }
  }

  /**
   * Detaching a partition takes an exclusive lock on the parent, and while it waits for that
   * lock inserts queue behind it: it waits no longer than the lock timeout, and holds the lock
   * only for the catalog change. The files go in a second statement that locks the detached
   * table alone; one left behind (its drop timed out, or the process died) is dropped next run.
   */
  private async drop(spec: DailyPartitionedTable, name: string, report: TableRetention): Promise<void> {
    const detached = await this.withLockRetries(async () => {
      await this.runner.startTransaction();
      try {
        // The parent stays locked until the commit is flushed; a lost detach is merely redone by
        // the next run, so the commit need not wait for the disk.
        await this.runner.query('SET LOCAL synchronous_commit = off');
        // Serialised with partition creation on every replica.
        await this.runner.query('SELECT pg_advisory_xact_lock($1)', [spec.lockKey.toString()]);
        // The partition first: whoever holds it (a long read of old data) is waited for without
        // holding the parent, so inserts into today's partition never queue behind that wait.
        // Partition DDL needs the table's owner: migration 0023's function locks, then detaches.
        await this.runner.query('SELECT hookstream_detach_day_partition($1, $2)', [spec.table, name]);
        await this.runner.commitTransaction();
        return true;
      } catch (err) {
        await this.runner.rollbackTransaction();
        throw err;
      }
    });
    if (detached === null) report.busy.push(name);
    else await this.dropDetached(spec, name, report);
  }

  private async dropDetached(spec: DailyPartitionedTable, name: string, report: TableRetention): Promise<void> {
    const dropped = await this.withLockRetries(() => this.sql<unknown>('SELECT hookstream_drop_detached_day_table($1, $2)', [spec.table, name]));
    if (dropped === null) report.busy.push(name);
    else report.droppedPartitions.push(name);
  }

  /** Day tables of `spec` that are no partition (any more): detached by a run that did not get to drop them. */
  private async leftovers(spec: DailyPartitionedTable): Promise<DayPartition[]> {
    const rows = await this.sql<{ name: string }[]>(
      `SELECT c.relname AS name FROM pg_class c
        WHERE c.relkind = 'r' AND NOT c.relispartition AND c.relnamespace = current_schema()::regnamespace AND c.relname ~ $1`,
      [`^${spec.table}_p[0-9]{8}$`],
    );
    return rows.flatMap((r) => parseDayPartition(spec.table, r.name) ?? []);
  }

  /** null when the lock was refused every time. */
  private async withLockRetries<T>(statement: () => Promise<T>): Promise<T | null> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await statement();
      } catch (err) {
        if (!isLockTimeout(err)) throw err;
        if (attempt >= LOCK_RETRIES || this.stopping()) return null;
        await new Promise((resolve) => setTimeout(resolve, this.options.lockTimeoutMs));
      }
    }
  }
}

/** The retention variables every owning service validates (README: configuration). */
export interface RetentionSettings {
  RETENTION_INTERVAL_MS: number;
  RETENTION_BATCH_SIZE: number;
  RETENTION_LOCK_TIMEOUT_MS: number;
}

export function retentionJobOptions(job: string, lockKey: bigint, settings: RetentionSettings): RetentionJobOptions {
  return { job, lockKey, intervalMs: settings.RETENTION_INTERVAL_MS, batchSize: settings.RETENTION_BATCH_SIZE, lockTimeoutMs: settings.RETENTION_LOCK_TIMEOUT_MS };
}

export interface RetentionJobOptions extends RetentionOptions {
  /** Names the job in logs and metrics. */
  job: string;
  /** pg_try_advisory_lock key: one replica runs the job at a time, the others skip the run. */
  lockKey: bigint;
  intervalMs: number;
}

/**
 * A service's retention job: on an interval, the replica that gets the job's advisory lock runs
 * `retain`, the others skip that run. Logs and counts what each run dropped, deleted and kept.
 */
export abstract class RetentionWorker extends BackgroundWorker<TableRetention[] | null> {
  private readonly dropped;
  private readonly deleted;
  private readonly scrubbed;
  private readonly held;
  private readonly busy;
  private readonly lastRun;

  protected constructor(
    private readonly db: DataSource,
    private readonly options: RetentionJobOptions,
    protected readonly logger: Logger,
    metrics: Metrics,
  ) {
    super(options.intervalMs, (err) => logger.error({ err, job: options.job }, 'retention run failed; retrying at the next interval'));
    this.dropped = metrics.counter('hookstream_retention_partitions_dropped_total', 'Expired partitions dropped by retention', ['table']);
    this.deleted = metrics.counter('hookstream_retention_rows_deleted_total', 'Rows deleted by retention (batches; dropped partitions not counted)', ['table']);
    this.scrubbed = metrics.counter('hookstream_retention_rows_scrubbed_total', 'Audit rows whose content retention scrubbed', ['table']);
    this.held = metrics.gauge('hookstream_retention_partitions_held', 'Expired partitions kept for tenants with a longer retention', ['table']);
    this.busy = metrics.counter('hookstream_retention_lock_timeouts_total', 'Tables or partitions retention left for the next run after its lock timeout', ['table']);
    this.lastRun = metrics.gauge('hookstream_retention_last_run_timestamp_seconds', 'When the retention job last finished a run', ['job']);
  }

  /** The tables this service owns, each under its policy, as of the database's `now`. */
  protected abstract retain(session: RetentionSession, now: Date): Promise<TableRetention[]>;

  protected async work(): Promise<TableRetention[] | null> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      const [lock] = await typed<{ ok: boolean }[]>(runner, 'SELECT pg_try_advisory_lock($1) AS ok', [this.options.lockKey.toString()]);
      if (!lock?.ok) {
        this.logger.debug({ job: this.options.job }, 'retention runs on another replica');
        return null;
      }
      try {
        await runner.query(`SET lock_timeout = '${this.options.lockTimeoutMs}ms'`);
        const [clock] = await typed<{ now: Date }[]>(runner, 'SELECT now() AS now');
        const reports = await this.retain(new RetentionSession(runner, this.options, () => this.stopping), new Date(clock?.now ?? Date.now()));
        this.record(reports);
        return reports;
      } finally {
        await runner.query('RESET lock_timeout');
        await runner.query('SELECT pg_advisory_unlock($1)', [this.options.lockKey.toString()]);
      }
    } finally {
      await runner.release();
    }
  }

  private record(reports: readonly TableRetention[]): void {
    for (const r of reports) {
      this.dropped.inc({ table: r.table }, r.droppedPartitions.length);
      this.deleted.inc({ table: r.table }, r.deletedRows);
      this.scrubbed.inc({ table: r.table }, r.scrubbedRows);
      this.busy.inc({ table: r.table }, r.busy.length);
      this.held.set({ table: r.table }, r.heldPartitions.length);
      const changed = r.droppedPartitions.length + r.deletedRows + r.scrubbedRows + r.heldPartitions.length + r.busy.length > 0;
      if (r.busy.length) this.logger.warn({ job: this.options.job, ...r }, 'retention left locked tables or partitions for the next run');
      else if (r.heldPartitions.length) this.logger.warn({ job: this.options.job, ...r }, 'retention kept expired partitions for tenants with a longer retention');
      else if (changed) this.logger.info({ job: this.options.job, ...r }, 'retention removed expired data');
    }
    this.lastRun.set({ job: this.options.job }, Date.now() / 1000);
  }
}
