import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, BackgroundWorker, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import type { DataSource, EntityManager } from 'typeorm';
import type { GatewayConfig } from '../config.js';

const DAY_MS = 24 * 3600 * 1000;
const CHECK_INTERVAL_MS = 3600 * 1000;
/** pg_advisory_xact_lock key shared by every gateway replica ("hs-parts" in ASCII). */
const LOCK_KEY = 0x68732d7061727473n;
/** Days moved out of the default partition per pass, so one pass stays short. */
const MAX_RESCUES_PER_PASS = 400;

/** `events_p20261122`: one UTC day, [2026-11-22, 2026-11-23). Retention drops these by name. */
export function partitionName(day: Date): string {
  return `events_p${day.toISOString().slice(0, 10).replaceAll('-', '')}`;
}

function startOfUtcDay(t: Date): Date {
  return new Date(Math.floor(t.getTime() / DAY_MS) * DAY_MS);
}

export interface PartitionPass {
  created: string[];
  /** Rows moved from events_default into a partition made for their day. */
  rescuedRows: number;
}

/**
 * Keeps `events` partitioned by day ahead of time: at boot and hourly it makes sure today and
 * the next EVENTS_PARTITIONS_AHEAD_DAYS days have partitions. Rows that landed in the default
 * partition (no partition existed for their day, e.g. rows migrated from before partitioning)
 * are moved into a partition made for their day. Each partition is made in its own short
 * transaction under one advisory lock, so any number of replicas can run this at once, and a
 * lock timeout keeps the DDL from queueing in front of inserts behind a long transaction.
 */
@Injectable()
export class EventPartitions extends BackgroundWorker<PartitionPass> {
  private readonly coverage;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    super(CHECK_INTERVAL_MS, (err) => logger.error({ err }, 'events partition maintenance failed; retrying at the next tick'));
    this.coverage = metrics.gauge('hookstream_events_partition_days_ahead', 'Consecutive days from today that have an events partition (alert below 2)');
  }

  protected work(): Promise<PartitionPass> {
    return this.ensure();
  }

  async ensure(): Promise<PartitionPass> {
    const pass: PartitionPass = { created: [], rescuedRows: 0 };
    for (let i = 0; i < MAX_RESCUES_PER_PASS; i++) {
      const [oldest] = await this.db.query<{ at: Date | null }[]>('SELECT min(received_at) AS at FROM events_default');
      if (!oldest?.at) break;
      await this.create(startOfUtcDay(new Date(oldest.at)), pass);
    }
    const [clock] = await this.db.query<{ now: Date }[]>('SELECT now() AS now');
    const today = startOfUtcDay(new Date(clock?.now ?? Date.now()));
    const existing = await this.existing();
    for (let d = 0; d <= this.config.EVENTS_PARTITIONS_AHEAD_DAYS; d++) {
      const day = new Date(today.getTime() + d * DAY_MS);
      if (!existing.has(partitionName(day))) await this.create(day, pass);
    }
    const now = await this.existing();
    let ahead = 0;
    while (now.has(partitionName(new Date(today.getTime() + ahead * DAY_MS)))) ahead++;
    this.coverage.set(ahead);
    if (pass.created.length) this.logger.info({ created: pass.created, rescued_rows: pass.rescuedRows }, 'created events partitions');
    return pass;
  }

  private async existing(): Promise<Set<string>> {
    const rows = await this.db.query<{ name: string }[]>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'events'::regclass`,
    );
    return new Set(rows.map((r) => r.name));
  }

  /** One day's partition, with whatever the default partition holds for that day moved into it. */
  private async create(day: Date, pass: PartitionPass): Promise<void> {
    const name = partitionName(day);
    // Dates we computed ourselves, inlined because DDL takes no parameters.
    const from = `'${day.toISOString()}'`;
    const to = `'${new Date(day.getTime() + DAY_MS).toISOString()}'`;
    await this.db.transaction(async (em: EntityManager) => {
      await em.query(`SET LOCAL lock_timeout = '5s'`);
      await em.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY.toString()]);
      const [attached] = await em.query<unknown[]>(
        `SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'events'::regclass AND c.relname = $1`,
        [name],
      );
      if (attached) return;
      // Created detached, filled, then attached: ATTACH takes a weaker lock on `events` than
      // CREATE … PARTITION OF, so inserts into other days go on meanwhile.
      await em.query(`CREATE TABLE ${name} (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
      const [moved] = await em.query<{ n: number }[]>(
        `WITH moved AS (DELETE FROM events_default WHERE received_at >= ${from} AND received_at < ${to} RETURNING *),
              kept AS (INSERT INTO ${name} SELECT * FROM moved RETURNING 1)
         SELECT count(*)::int AS n FROM kept`,
      );
      await em.query(`ALTER TABLE events ATTACH PARTITION ${name} FOR VALUES FROM (${from}) TO (${to})`);
      pass.created.push(name);
      pass.rescuedRows += moved?.n ?? 0;
    });
  }
}
