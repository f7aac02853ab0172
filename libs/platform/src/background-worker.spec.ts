import { describe, expect, it } from '@jest/globals';
import { BackgroundWorker } from './background-worker.js';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
const until = async (done: () => boolean) => {
  while (!done()) await tick(1);
};

class Worker extends BackgroundWorker<number> {
  runs = 0;
  active = 0;
  maxActive = 0;
  readonly errors: unknown[] = [];

  constructor(private readonly fail = false) {
    super(1, (err) => this.errors.push(err));
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  protected async work(): Promise<number> {
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    await tick(2);
    this.active--;
    this.runs++;
    if (this.fail) throw new Error(`failure ${this.runs}`);
    return this.runs;
  }
}

describe('BackgroundWorker', () => {
  it('runs at boot and again after each interval, one run at a time, and not after shutdown', async () => {
    const w = new Worker();
    w.onApplicationBootstrap();
    const results = await Promise.all([w.runNow(), w.runNow(), w.runNow()]);
    await until(() => w.runs >= 6);
    await w.onModuleDestroy();
    const atStop = w.runs;
    await tick(20);
    expect(new Set(results).size).toBe(3);
    expect(w.maxActive).toBe(1);
    expect(w.runs).toBe(atStop);
    expect(w.isStopping).toBe(true);
  });

  it('hands a runNow caller its error, and reports scheduled failures without stopping', async () => {
    const w = new Worker(true);
    await expect(w.runNow()).rejects.toThrow('failure 1');
    w.onApplicationBootstrap();
    await until(() => w.errors.length >= 2);
    await w.onModuleDestroy();
    expect(String(w.errors[1])).toContain('failure 3');
  });
});
