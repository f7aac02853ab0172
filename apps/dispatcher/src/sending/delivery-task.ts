import type { DeliveryMessage } from '@hookstream/contracts';

export type TaskState = 'queued' | 'running' | 'recording' | 'done';

/**
 * One planned attempt held by this process, from the Kafka message until its outcome is
 * durable. A task still queued or running when its batch is committed gets a lease in Postgres;
 * its outcome then deletes the lease in the same transaction that records it.
 */
export class DeliveryTask {
  readonly key: string;
  state: TaskState = 'queued';
  /** When its HTTP attempt started (ms since epoch), once it has. */
  startedAt: number | null = null;
  /**
   * Set when the task is leased: `written` settles once the lease row exists (or failed to),
   * `since` is when its write was confirmed, `lost` whether a sweeper has taken it since.
   */
  lease: { written: Promise<void>; since: number | null; lost: boolean } | null = null;
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(
    readonly msg: DeliveryMessage,
    readonly traceparent: string | null,
  ) {
    this.key = taskKey(msg);
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  get unfinished(): boolean {
    return this.state === 'queued' || this.state === 'running';
  }

  finish(): void {
    this.state = 'done';
    this.resolveDone();
  }
}

export function taskKey(msg: Pick<DeliveryMessage, 'delivery_id' | 'generation' | 'attempt'>): string {
  return `${msg.delivery_id}/${msg.generation}/${msg.attempt}`;
}
