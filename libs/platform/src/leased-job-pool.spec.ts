import { describe, expect, it } from '@jest/globals';
import { LeasedJobPool, type LeasedJobPoolOptions, type StepResult } from './leased-job-pool.js';

interface Job {
  tenant: string;
  id: string;
  steps: number;
}

/** A pool whose steps finish when the test says so, recording the order they started in. */
function harness(concurrency: number, extra: Partial<LeasedJobPoolOptions<Job>> = {}) {
  const started: string[] = [];
  const pending: Array<{ job: Job; finish: (r: StepResult | Error) => void }> = [];
  const errors: string[] = [];
  let maxActive = 0;
  let active = 0;
  const pool = new LeasedJobPool<Job>({
    concurrency,
    renew: { everyMs: 60_000, run: (held) => Promise.resolve(new Set(held.map((j) => j.id))) },
    tenantOf: (j) => j.tenant,
    keyOf: (j) => j.id,
    step: (job) =>
      new Promise<StepResult>((resolve, reject) => {
        started.push(job.id);
        active++;
        maxActive = Math.max(maxActive, active);
        pending.push({
          job,
          finish: (r) => {
            active--;
            if (r instanceof Error) reject(r);
            else resolve(r);
          },
        });
      }),
    onError: (err, job) => errors.push(`${job?.id ?? '-'}: ${(err as Error).message}`),
    ...extra,
  });

  /** Finishes the oldest running step: 'over' once the job has had its steps. */
  async function finishNext(): Promise<void> {
    const next = pending.shift();
    if (!next) throw new Error('no step is running');
    next.job.steps--;
    next.finish(next.job.steps > 0 ? 'more' : 'over');
    await new Promise((r) => setImmediate(r));
  }
  return { pool, started, pending, errors, finishNext, maxActive: () => maxActive };
}

describe('LeasedJobPool', () => {
  it('gives a tenant with one job a step in every round, however many jobs another tenant has', async () => {
    const h = harness(1);
    for (let i = 0; i < 5; i++) h.pool.add({ tenant: 'big', id: `big-${i}`, steps: 3 });
    h.pool.add({ tenant: 'small', id: 'small-0', steps: 3 });
    while (h.pending.length > 0) await h.finishNext();
    // big-0 started before the small tenant's job arrived; from then on the tenants alternate, so
    // the small tenant's three steps are done by the 6th, not after the big tenant's 15.
    expect(h.started.slice(0, 6)).toEqual(['big-0', 'big-1', 'small-0', 'big-2', 'small-0', 'big-3']);
    expect(h.started[6]).toBe('small-0');
    expect(h.started).toHaveLength(18);
    expect(h.pool.size).toBe(0);
  });

  it('never runs more steps at once than its concurrency', async () => {
    const h = harness(2);
    for (let i = 0; i < 10; i++) h.pool.add({ tenant: `t${i % 3}`, id: `j${i}`, steps: 2 });
    expect(h.pending).toHaveLength(2);
    while (h.pending.length > 0) await h.finishNext();
    expect(h.maxActive()).toBe(2);
    expect(h.started).toHaveLength(20);
  });

  it('ends a job whose step fails, reports it, and goes on with the others', async () => {
    const h = harness(1);
    h.pool.add({ tenant: 'a', id: 'a', steps: 2 });
    h.pool.add({ tenant: 'b', id: 'b', steps: 1 });
    h.pending.shift()?.finish(new Error('postgres went away'));
    await new Promise((r) => setImmediate(r));
    expect(h.errors).toEqual(['a: postgres went away']);
    expect(h.pool.has('a')).toBe(false);
    await h.finishNext();
    expect(h.started).toEqual(['a', 'b']);
    expect(h.pool.size).toBe(0);
  });

  it('drops a waiting job at once and a stepping one after its step', async () => {
    const h = harness(1);
    h.pool.add({ tenant: 'a', id: 'a', steps: 5 });
    h.pool.add({ tenant: 'b', id: 'b', steps: 5 });
    h.pool.drop('b'); // waiting
    expect(h.pool.has('b')).toBe(false);
    h.pool.drop('a'); // stepping: its step ends, then it leaves
    expect(h.pool.has('a')).toBe(true);
    await h.finishNext();
    expect(h.pool.size).toBe(0);
    expect(h.started).toEqual(['a']);
  });

  it('ignores a job it already holds, and stop waits for running steps and starts no more', async () => {
    const h = harness(1);
    h.pool.add({ tenant: 'a', id: 'a', steps: 5 });
    h.pool.add({ tenant: 'a', id: 'a', steps: 5 });
    h.pool.add({ tenant: 'b', id: 'b', steps: 5 });
    expect(h.pool.size).toBe(2);
    let stopped = false;
    const stopping = h.pool.stop().then(() => {
      stopped = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    await h.finishNext();
    await stopping;
    expect(h.started).toEqual(['a']);
    h.pool.add({ tenant: 'c', id: 'c', steps: 1 });
    expect(h.pending).toHaveLength(0);
  });

  it('lets a step wait without holding a slot, and runs the job again after the wait', async () => {
    const h = harness(1);
    let first = true;
    const order: string[] = [];
    const pool = new LeasedJobPool<Job>({
      concurrency: 1,
      tenantOf: (j) => j.tenant,
      keyOf: (j) => j.id,
      renew: { everyMs: 60_000, run: (held) => Promise.resolve(new Set(held.map((j) => j.id))) },
      step: (job) => {
        order.push(job.id);
        if (job.id === 'paced' && first) {
          first = false;
          return Promise.resolve({ waitMs: 30 });
        }
        return Promise.resolve('over' as const);
      },
      onError: (err) => h.errors.push(String(err)),
    });
    pool.add({ tenant: 'a', id: 'paced', steps: 1 });
    pool.add({ tenant: 'b', id: 'other', steps: 1 });
    await new Promise((r) => setTimeout(r, 5));
    // The paced job's wait did not keep the other tenant's job from its step.
    expect(order).toEqual(['paced', 'other']);
    expect(pool.has('paced')).toBe(true);
    await new Promise((r) => setTimeout(r, 60));
    expect(order).toEqual(['paced', 'other', 'paced']);
    expect(pool.size).toBe(0);
  });

  it('claims up to its bound, drops what a renewal says is no longer its own, and hands back the rest at stop', async () => {
    const offered: Job[] = [1, 2, 3, 4].map((i) => ({ tenant: `t${i}`, id: `j${i}`, steps: 1 }));
    const rooms: number[] = [];
    const released: string[] = [];
    let keep = new Set(['j1', 'j2', 'j3']);
    const gate: Array<() => void> = [];
    const pool = new LeasedJobPool<Job>({
      concurrency: 1,
      maxHeld: 3,
      tenantOf: (j) => j.tenant,
      keyOf: (j) => j.id,
      claim: {
        everyMs: 60_000,
        run: (room) => {
          rooms.push(room);
          return Promise.resolve(offered.splice(0, room));
        },
      },
      renew: { everyMs: 10, run: () => Promise.resolve(keep) },
      release: (held) => {
        released.push(...held.map((j) => j.id));
        return Promise.resolve();
      },
      // Steps hang until released, so jobs stay held.
      step: () => new Promise<StepResult>((resolve) => gate.push(() => resolve('more'))),
      onError: () => undefined,
    });
    pool.start();
    await new Promise((r) => setTimeout(r, 5));
    expect(rooms).toEqual([3]);
    expect(pool.size).toBe(3);
    keep = new Set(['j1', 'j3', 'j4']);
    await new Promise((r) => setTimeout(r, 30));
    // j2 was waiting its turn (j1 is stepping): it leaves at once, and its room is claimed again.
    expect(pool.has('j2')).toBe(false);
    expect(rooms).toEqual([3, 1]);
    expect(pool.has('j4')).toBe(true);
    const stopping = pool.stop();
    gate.shift()?.();
    await stopping;
    expect(released.sort()).toEqual(['j1', 'j3', 'j4']);
  });
});
