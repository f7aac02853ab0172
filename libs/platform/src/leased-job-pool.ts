import { FairRing } from '@hookstream/domain';
import { BackgroundLoop } from './background-worker.js';

/** What one step of a job did: more steps to come, the job is over, or its next step must wait. */
export type StepResult = 'more' | 'over' | { waitMs: number };

export interface LeasedJobPoolOptions<T> {
  /** At most this many steps run at once, whatever the number of jobs. */
  concurrency: number;
  /** Claims stop while this many jobs are held (default: no bound; jobs then only wait their turn). */
  maxHeld?: number;
  tenantOf: (job: T) => string;
  keyOf: (job: T) => string;
  /** Runs one bounded step of a job (one fan-out chunk, one replay batch); a rejection ends the job (`onError`). */
  step: (job: T, signal: AbortSignal) => Promise<StepResult>;
  /** Claims up to `room` jobs nobody holds (new ones, or ones whose owner's lease lapsed), every `everyMs` and on wake(). */
  claim?: { everyMs: number; run: (room: number) => Promise<T[]> };
  /** Renews the leases of the jobs held, every `everyMs`; answers the keys still this process's (the others are dropped). */
  renew: { everyMs: number; run: (held: T[]) => Promise<ReadonlySet<string>> };
  /** Hands back the jobs still held at shutdown, so others take them at once rather than when their leases lapse. */
  release?: (held: T[]) => Promise<void>;
  onError: (err: unknown, job: T | null, during: 'step' | 'claim' | 'renew' | 'release') => void;
  /** Called whenever the number of jobs held changes. */
  onSize?: (size: number) => void;
}

/**
 * Long background jobs held under leases in Postgres (large fan-outs, replay jobs), run one step
 * at a time, tenants in turn: the next step always goes to the tenant whose turn it is, then to
 * that tenant's next job. A tenant that starts a hundred 10,000-way fan-outs gets one step per
 * round like a tenant with one, instead of a hundred loops racing for Postgres and Kafka. Every
 * job held, stepping or waiting its turn, has its lease renewed; a job whose lease another process
 * took is dropped; jobs whose owner died are claimed. A step may ask to wait (a paced replay)
 * without holding a step slot meanwhile.
 */
export class LeasedJobPool<T> {
  private readonly ring = new FairRing<T>();
  /** Every job held (waiting its turn, stepping or sleeping), by key. */
  private readonly jobs = new Map<string, T>();
  private readonly stepping = new Set<string>();
  private readonly dropped = new Set<string>();
  private readonly sleeping = new Map<string, NodeJS.Timeout>();
  private readonly idleWaiters: Array<() => void> = [];
  private readonly claims: BackgroundLoop<void> | null;
  private readonly renewals: BackgroundLoop<void>;
  private readonly abort = new AbortController();
  private active = 0;

  constructor(private readonly options: LeasedJobPoolOptions<T>) {
    const { claim, renew } = options;
    this.claims = claim
      ? new BackgroundLoop<void>({ intervalMs: claim.everyMs, work: () => this.claimSome(claim.run), onError: (err) => options.onError(err, null, 'claim') })
      : null;
    this.renewals = new BackgroundLoop<void>({ intervalMs: renew.everyMs, work: () => this.renewHeld(renew.run), onError: (err) => options.onError(err, null, 'renew') });
  }

  get size(): number {
    return this.jobs.size;
  }

  has(key: string): boolean {
    return this.jobs.has(key);
  }

  /** Starts claiming (now) and renewing (after one renewal interval). */
  start(): void {
    this.claims?.start();
    this.renewals.start(this.options.renew.everyMs);
  }

  /** Looks for jobs to claim now rather than at the next interval (one was just created). */
  wake(): void {
    this.claims?.wake();
  }

  /** Adds a job at the back of its tenant's turn; a job already held is left where it is. */
  add(job: T): void {
    const key = this.options.keyOf(job);
    if (this.stopped || this.jobs.has(key)) return;
    this.jobs.set(key, job);
    this.options.onSize?.(this.jobs.size);
    this.ring.add(this.options.tenantOf(job), key, job);
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
    this.leave(key);
  }

  /** Starts no more steps or claims; once the steps under way have ended, hands back what is still held. */
  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all([this.claims?.stop(), this.renewals.stop()]);
    this.ring.clear();
    for (const timer of this.sleeping.values()) clearTimeout(timer);
    this.sleeping.clear();
    if (this.active > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    const held = [...this.jobs.values()];
    if (held.length > 0 && this.options.release) await this.options.release(held).catch((err: unknown) => this.options.onError(err, null, 'release'));
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async claimSome(run: (room: number) => Promise<T[]>): Promise<void> {
    const room = (this.options.maxHeld ?? Number.POSITIVE_INFINITY) - this.jobs.size;
    if (room <= 0 || this.stopped) return;
    for (const job of await run(room)) this.add(job);
  }

  private async renewHeld(run: (held: T[]) => Promise<ReadonlySet<string>>): Promise<void> {
    if (this.jobs.size === 0) return;
    const kept = await run([...this.jobs.values()]);
    for (const key of [...this.jobs.keys()]) if (!kept.has(key)) this.drop(key);
  }

  private pump(): void {
    while (!this.stopped && this.active < this.options.concurrency) {
      const job = this.ring.take();
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
      result = await this.options.step(job, this.abort.signal);
    } catch (err) {
      this.options.onError(err, job, 'step');
      result = 'over';
    }
    this.active--;
    this.stepping.delete(key);
    if (result === 'over' || this.dropped.delete(key)) this.leave(key);
    else if (!this.stopped) this.requeue(key, job, result === 'more' ? 0 : result.waitMs);
    if (this.active === 0 && this.stopped) for (const resolve of this.idleWaiters.splice(0)) resolve();
    this.pump();
  }

  /** Back in its tenant's turn, at once or after a wait spent holding no step slot. */
  private requeue(key: string, job: T, waitMs: number): void {
    if (waitMs <= 0) {
      this.ring.add(this.options.tenantOf(job), key, job);
      return;
    }
    this.sleeping.set(
      key,
      setTimeout(() => {
        this.sleeping.delete(key);
        if (!this.jobs.has(key) || this.stopped) return;
        this.ring.add(this.options.tenantOf(job), key, job);
        this.pump();
      }, waitMs),
    );
  }

  private leave(key: string): void {
    this.jobs.delete(key);
    this.dropped.delete(key);
    const timer = this.sleeping.get(key);
    if (timer) clearTimeout(timer);
    this.sleeping.delete(key);
    this.options.onSize?.(this.jobs.size);
    // Room for another job: look for one now rather than at the next interval.
    if (this.options.maxHeld !== undefined && !this.stopped) this.claims?.wake();
  }
}
