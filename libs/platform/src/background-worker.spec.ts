import { describe, expect, it } from '@jest/globals';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BackgroundLoop, BackgroundWorker, drainPages } from './background-worker.js';

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

  it('stops a long run between pages and ends its sleeps at shutdown', async () => {
    class Pager extends BackgroundWorker<number> {
      pages = 0;
      constructor() {
        super(60_000, () => undefined);
      }
      protected work(): Promise<number> {
        return this.drainPages(10, async (limit) => {
          this.pages++;
          await this.sleep(5);
          return limit; // always a full page: only shutdown ends the pass
        });
      }
    }
    const p = new Pager();
    p.onApplicationBootstrap();
    await until(() => p.pages >= 3);
    const started = Date.now();
    await p.onModuleDestroy();
    expect(Date.now() - started).toBeLessThan(1000);
    const pages = p.pages;
    await tick(20);
    expect(p.pages).toBe(pages);
  });
});

describe('BackgroundLoop', () => {
  it('sleeps as long as the run says, and a wake-up brings the next run forward', async () => {
    const runs: number[] = [];
    const loop = new BackgroundLoop<number>({
      intervalMs: 60_000,
      work: () => {
        runs.push(Date.now());
        return Promise.resolve(10_000);
      },
      nextDelayMs: (sleepMs) => sleepMs,
      onError: () => undefined,
    });
    loop.start();
    await until(() => runs.length === 1);
    await tick(20);
    expect(runs).toHaveLength(1); // asleep for 10 s
    loop.wake(Date.now() + 5);
    await until(() => runs.length === 2);
    loop.wake(Date.now() + 60_000); // later than the armed timer: changes nothing
    await tick(20);
    expect(runs).toHaveLength(2);
    await loop.stop();
  });

  it('runs outside the trace of whoever woke it', async () => {
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    const seen: Array<string | undefined> = [];
    const loop = new BackgroundLoop<void>({
      intervalMs: 60_000,
      work: () => {
        seen.push(trace.getSpanContext(context.active())?.traceId);
        return Promise.resolve();
      },
      onError: () => undefined,
    });
    try {
      const request = trace.wrapSpanContext({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 });
      // Started and woken from inside a request's trace, as a route handler would.
      await context.with(trace.setSpan(context.active(), request), async () => {
        loop.start(5);
        await until(() => seen.length === 1);
        loop.wake();
        await until(() => seen.length === 2);
      });
      expect(seen).toEqual([undefined, undefined]);
    } finally {
      await loop.stop();
      context.disable();
    }
  });

  it('keeps a wake-up asked for during a run, and backs off after failures', async () => {
    let release: () => void = () => undefined;
    const failures: number[] = [];
    let runs = 0;
    const loop = new BackgroundLoop<void>({
      intervalMs: 60_000,
      work: () => {
        runs++;
        if (runs === 1) return new Promise<void>((r) => (release = r));
        return Promise.reject(new Error('down'));
      },
      onError: () => undefined,
      failureDelayMs: (n) => {
        failures.push(n);
        return n === 1 ? 5 : 60_000;
      },
    });
    loop.start();
    await until(() => runs === 1);
    loop.wake(); // during the run: the run may have missed what this is about
    release();
    await until(() => runs === 3);
    expect(failures).toEqual([1, 2]);
    await tick(20);
    expect(runs).toBe(3);
    await loop.stop();
    loop.wake();
    await tick(10);
    expect(runs).toBe(3);
  });
});

describe('drainPages', () => {
  it('drains until a page comes back short', async () => {
    const sizes = [5, 5, 2, 5];
    const total = await drainPages(5, () => Promise.resolve(sizes.shift() ?? 0), new AbortController().signal);
    expect(total).toBe(12);
    expect(sizes).toEqual([5]);
  });
});
