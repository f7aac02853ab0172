import { FairRing } from '../sending/fair-ring.js';

/** What one step of a job did: more steps to come, or the job is over (finished or given up). */
export type StepResult = 'more' | 'over';

export interface FairJobPoolOptions<T> {
  /** At most this many steps run at once, whatever the number of jobs. */
  concurrency: number;
  tenantOf: (job: T) => string;
  keyOf: (job: T) => string;
  /** Runs one bounded step of a job (one fan-out chunk); a rejection ends the job (`onError`). */
  step: (job: T) => Promise<StepResult>;
  onError: (job: T, err: unknown) => void;
  /** Called when a job leaves the pool, however it ended. */
  onLeave?: (job: T) => void;
}

/**
 * Runs long background jobs one step at a time, tenants in turn: the next step always goes to the
 * tenant whose turn it is, then to that tenant's next job. A tenant that starts a hundred 10,000-way
 * fan-outs gets one step per round like a tenant with one, instead of a hundred loops racing for
 * Postgres and Kafka. Jobs wait between steps; the caller keeps their leases alive (`keys`).
 */
export class FairJobPool<T> {
  private readonly waiting = new FairRing<T>();
  /** Every job in the pool (waiting or stepping), by key. */
  private readonly jobs = new Map<string, T>();
  private readonly stepping = new Set<string>();
  private readonly dropped = new Set<string>();
  private readonly idleWaiters: Array<() => void> = [];
  private active = 0;
  private stopped = false;

  constructor(private readonly options: FairJobPoolOptions<T>) {}

  get size(): number {
    return this.jobs.size;
  }

  has(key: string): boolean {
    return this.jobs.has(key);
  }

  /** Every job held (waiting or stepping), for lease renewal. */
  held(): T[] {
    return [...this.jobs.values()];
  }

  /** Adds a job at the back of its tenant's turn; a job already held is left where it is. */
  add(job: T): void {
    const key = this.options.keyOf(job);
    if (this.stopped || this.jobs.has(key)) return;
    this.jobs.set(key, job);
    this.waiting.add(this.options.tenantOf(job), key, job);
    this.pump();
  }

  /** Forgets a job (another process took it over): a waiting one never steps again, a stepping one stops after its step. */
  drop(key: string): void {
    const job = this.jobs.get(key);
    if (!job) return;
    if (this.stepping.has(key)) {
      this.dropped.add(key);
      return;
    }
    this.leave(key, job);
  }

  /** Starts no more steps; resolves when the steps running now have ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.waiting.clear();
    if (this.active === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (!this.stopped && this.active < this.options.concurrency) {
      const job = this.waiting.take();
      if (job === undefined) return;
      const key = this.options.keyOf(job);
      if (!this.jobs.has(key)) continue; // dropped while waiting
      this.active++;
      this.stepping.add(key);
      void this.runStep(key, job);
    }
  }

  private async runStep(key: string, job: T): Promise<void> {
    let result: StepResult;
    try {
      result = await this.options.step(job);
    } catch (err) {
      this.options.onError(job, err);
      result = 'over';
    }
    this.active--;
    this.stepping.delete(key);
    if (result === 'over' || this.dropped.delete(key) || this.stopped) {
      this.leave(key, job);
    } else {
      this.waiting.add(this.options.tenantOf(job), key, job);
    }
    if (this.active === 0 && this.stopped) for (const resolve of this.idleWaiters.splice(0)) resolve();
    this.pump();
  }

  private leave(key: string, job: T): void {
    this.jobs.delete(key);
    this.dropped.delete(key);
    this.options.onLeave?.(job);
  }
}
