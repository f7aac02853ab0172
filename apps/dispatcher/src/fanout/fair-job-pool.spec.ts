import { describe, expect, it } from '@jest/globals';
import { FairJobPool, type StepResult } from './fair-job-pool.js';

interface Job {
  tenant: string;
  id: string;
  steps: number;
}

/** A pool whose steps finish when the test says so, recording the order they started in. */
function harness(concurrency: number) {
  const started: string[] = [];
  const pending: Array<{ job: Job; finish: (r: StepResult | Error) => void }> = [];
  const errors: string[] = [];
  const left: string[] = [];
  let maxActive = 0;
  let active = 0;
  const pool = new FairJobPool<Job>({
    concurrency,
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
    onError: (job, err) => errors.push(`${job.id}: ${(err as Error).message}`),
    onLeave: (job) => left.push(job.id),
  });
  /** Finishes the oldest running step: 'over' once the job has had its steps. */
  async function finishNext(): Promise<void> {
    const next = pending.shift();
    if (!next) throw new Error('no step is running');
    next.job.steps--;
    next.finish(next.job.steps > 0 ? 'more' : 'over');
    await new Promise((r) => setImmediate(r));
  }
  return { pool, started, pending, errors, left, finishNext, maxActive: () => maxActive };
}

describe('FairJobPool', () => {
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
    expect(h.left.sort()).toEqual(['big-0', 'big-1', 'big-2', 'big-3', 'big-4', 'small-0']);
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
});
