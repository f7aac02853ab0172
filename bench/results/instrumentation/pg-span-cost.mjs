// What a Postgres span costs: CPU per query of `pg` alone, instrumented but outside a trace (the
// hot path: background loops and consumers have no active span, and requireParentSpan skips them),
// and instrumented inside a trace with spans exported (a traced HTTP request). Each mode runs in a
// process of its own, since the instrumentation patches pg as it loads.
//   node bench/results/instrumentation/pg-span-cost.mjs [rounds]   (DATABASE_URL, default local)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const QUERIES = 20_000;
const CONCURRENCY = 8;
const mode = process.argv[2];

if (mode === undefined || /^\d+$/.test(mode)) {
  const rounds = Number(mode ?? 3);
  const modes = ['off', 'untraced', 'traced'];
  const runs = Object.fromEntries(modes.map((m) => [m, []]));
  for (let r = 0; r < rounds; r++) {
    for (const m of modes) {
      const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), m], { encoding: 'utf8' });
      if (out.status !== 0) throw new Error(out.stderr);
      runs[m].push(JSON.parse(out.stdout).cpu_us_per_query);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const result = { queries_per_run: QUERIES, concurrency: CONCURRENCY, rounds, cpu_us_per_query: Object.fromEntries(modes.map((m) => [m, { runs: runs[m], median: median(runs[m]) }])) };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} else {
  const { trace, context } = await import('@opentelemetry/api');
  let provider = null;
  if (mode !== 'off') {
    const { registerInstrumentations } = await import('@opentelemetry/instrumentation');
    const { PgInstrumentation } = await import('@opentelemetry/instrumentation-pg');
    registerInstrumentations({ instrumentations: [new PgInstrumentation({ requireParentSpan: true })] });
    const { TracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace');
    // Spans are batched and handed to an exporter that drops them: the cost measured is making
    // them, not the network.
    const exporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} };
    provider = new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter })] });
    trace.setGlobalTracerProvider(provider);
    const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  }
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', max: CONCURRENCY });
  const run = async (n) => {
    let next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < n) await pool.query('SELECT $1::int AS n', [next]);
    }));
  };
  const inTrace = (work) => {
    if (mode !== 'traced') return work();
    const parent = trace.getTracer('bench').startSpan('request');
    return context.with(trace.setSpan(context.active(), parent), work).finally(() => parent.end());
  };
  await inTrace(() => run(2_000)); // warm-up: connections and JIT
  const before = process.cpuUsage();
  await inTrace(() => run(QUERIES));
  const used = process.cpuUsage(before);
  await pool.end();
  await provider?.shutdown();
  process.stdout.write(JSON.stringify({ mode, cpu_us_per_query: Math.round(((used.user + used.system) / QUERIES) * 100) / 100 }));
}
