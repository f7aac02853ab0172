import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { backoffDelayMs } from '@hookstream/domain';
import { APP_CONFIG, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import pg from 'pg';
import type { SchedulerConfig } from '../config.js';
import { listenForDueRetries } from './scheduled-retries.repository.js';
import { DueRetriesWorker } from './due-retries.worker.js';

const RECONNECT_BACKOFF = { initialMs: 500, maxMs: 30_000 };

/**
 * Hears, on a dedicated Postgres connection (LISTEN), the due time of every retry any replica
 * stores, and wakes this replica's timer for it. Each replica consumes only its share of
 * hookstream.retries, but any replica may have to fire a row: without this, a retry stored by a
 * replica that then died would wait for the survivors' idle bound. While the connection is down
 * the idle bound covers; after a reconnect the timer re-reads the earliest due time at once.
 */
@Injectable()
export class RetryDueListener implements OnApplicationBootstrap, OnModuleDestroy {
  private client: pg.Client | null = null;
  private reconnect: NodeJS.Timeout | null = null;
  private failures = 0;
  private stopped = false;
  private readonly listening;

  constructor(
    private readonly timer: DueRetriesWorker,
    @Inject(APP_CONFIG) private readonly config: SchedulerConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.listening = metrics.gauge('hookstream_retry_wakeups_listening', '1 while this replica hears the due times other replicas store');
  }

  onApplicationBootstrap(): void {
    this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.reconnect) clearTimeout(this.reconnect);
    await this.client?.end().catch(() => undefined);
  }

  private connect(): void {
    if (this.stopped) return;
    const client = new pg.Client({
      connectionString: this.config.DATABASE_URL,
      application_name: 'retry-scheduler-listen',
      connectionTimeoutMillis: 3000,
      keepAlive: true,
    });
    let lost = false;
    const onLost = (err: unknown) => {
      if (lost) return;
      lost = true;
      this.listening.set(0);
      void client.end().catch(() => undefined);
      if (this.stopped) return;
      const delayMs = backoffDelayMs(this.failures++, RECONNECT_BACKOFF);
      this.logger.warn({ err, retryInMs: delayMs }, 'retry wake-up channel lost; reconnecting (the idle bound covers meanwhile)');
      this.reconnect = setTimeout(() => this.connect(), delayMs);
    };
    client.on('error', onLost);
    client.on('end', () => onLost(new Error('connection ended')));
    client.on('notification', (n) => {
      const at = Number(n.payload);
      if (Number.isFinite(at)) this.timer.wake(at);
    });
    this.client = client;
    client
      .connect()
      .then(() => listenForDueRetries(client))
      .then(() => {
        this.failures = 0;
        this.listening.set(1);
        // Retries stored while nobody here listened were not heard: look now.
        this.timer.wake(Date.now());
      })
      .catch(onLost);
  }
}
