import { randomBytes } from 'node:crypto';
import { formatSecret, signStandardWebhook } from '@hookstream/domain';
import { createSender, DEFAULT_HTTP_CLIENT, HTTP_CLIENTS, type HttpClientName } from '@hookstream/webhook-http';
import { epochMs } from '../harness/clock.ts';
import { bodyOf, makeEnvelope } from '../harness/publisher.ts';
import type { BenchContext, Scenario, ScenarioResult } from '../harness/scenario.ts';
import { quantiles } from '../harness/stats.ts';

/**
 * (a) What the HTTP client alone can do: the dispatcher's sender (the client HTTP_CLIENT names,
 * built as the dispatcher builds it) posting signed bodies of the pipeline's size straight to the receiver,
 * over the same origins, with SEND_CONCURRENCY requests in flight. The pipeline cannot beat it.
 * The https variant does the same over TLS (keep-alive, so mostly the cost of encrypting).
 */
function rawCeiling(scheme: 'http' | 'https'): Scenario {
  return {
    name: scheme === 'http' ? 'http_ceiling' : 'http_ceiling_https',
    title: scheme === 'http' ? '(a) raw HTTP ceiling: the dispatcher’s HTTP client straight to the receiver' : '(a′) raw HTTPS ceiling: the same over TLS to the receiver’s HTTPS ports',
    fullOnly: scheme === 'https',
    run: (ctx) => measureCeiling(ctx, scheme),
  };
}

export const httpCeiling = rawCeiling('http');
export const httpCeilingHttps = rawCeiling('https');

async function measureCeiling({ system, options }: BenchContext, scheme: 'http' | 'https'): Promise<ScenarioResult> {
  const sender = createSender(httpClient(), { allow: { hosts: new Set(['127.0.0.1']) }, connectTimeoutMs: 5000, maxHosts: 10_000, extraCaCertificates: system.trustedCa });
  const secret = formatSecret(randomBytes(32));
  const body = bodyOf(makeEnvelope('evt_raw', 'bench.raw', 'bench', options.bodyBytes, 0));
  const origins = scheme === 'https' ? system.receiver.httpsOrigins : system.receiver.origins;
  let seq = 0;
  const durations: number[] = [];
  let failures = 0;
  const runFor = async (ms: number, record: boolean) => {
    const end = epochMs() + ms;
    const worker = async () => {
      while (epochMs() < end) {
        const n = seq++;
        const id = `raw_${n}`;
        const headers = { 'user-agent': 'Hookstream/0.1 (bench)', 'content-type': 'application/json', ...signStandardWebhook([secret], id, Math.floor(Date.now() / 1000), body) };
        const r = await sender.send({ url: `${origins[n % origins.length] ?? ''}/s/raw`, headers, body, timeoutMs: 15_000 });
        if (!record || epochMs() > end) continue;
        durations.push(r.durationMs);
        if (r.kind !== 'response' || r.statusCode !== 200) failures++;
      }
    };
    await Promise.all(Array.from({ length: options.sendConcurrency }, worker));
  };
  try {
    // One second to open the connections and warm the JIT, not counted.
    await runFor(1000, false);
    const window = system.meter.start();
    await runFor(options.sizes.httpSeconds * 1000, true);
    const usage = window.stop();
    const sent = seq;
    const received = (await system.receiver.stats()).requests;
    await system.receiver.reset();
    const q = quantiles(durations);
    const notes = received === sent ? [] : [`the client sent ${sent} requests and the receiver counted ${received}`];
    return {
      figures: {
        requests_per_s: (durations.length - failures) / (options.sizes.httpSeconds || 1),
        p50_ms: q.p50,
        p99_ms: q.p99,
        failures,
        concurrency: options.sendConcurrency,
        origins: origins.length,
        body_bytes: body.length,
      },
      usage,
      notes,
    };
  } finally {
    sender.close();
  }
}

/** The client the dispatcher under test uses: it inherits the bench's environment. */
function httpClient(): HttpClientName {
  const named = process.env.HTTP_CLIENT;
  return HTTP_CLIENTS.find((c) => c === named) ?? DEFAULT_HTTP_CLIENT;
}
