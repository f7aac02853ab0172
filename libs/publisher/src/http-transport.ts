import { childTraceparent } from '@hookstream/contracts';
import { backoffDelayMs } from '@hookstream/domain';
import type { StampedEvent } from './envelope.js';
import { HookstreamPublishError } from './errors.js';
import type { BatchResult, PublishResult, Transport } from './transport.js';

export interface HttpTransportOptions {
  /** The ingress-gateway's base URL, e.g. `https://hooks.internal.example`. */
  url: string;
  /** A tenant API key (`hsk_…`); the `events:publish` scope is all it needs (docs/runbook.md#scopes). */
  apiKey: string;
  /** Per request; default 10 s. */
  timeoutMs?: number;
  /** Retries of 429, 5xx and network failures; safe because every event carries its id. Default 3. */
  maxRetries?: number;
  /** Longest wait between retries, whatever Retry-After says; default 30 s. */
  maxRetryDelayMs?: number;
}

const BATCH_LIMIT = 500;

interface ErrorBody {
  code?: string;
  message?: string;
  details?: unknown;
}

/** Posts to the gateway: `POST /v1/events` for one event, `/v1/events/batch` for more. */
export class HttpTransport implements Transport {
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly maxRetryDelayMs: number;

  constructor(private readonly options: HttpTransportOptions) {
    this.base = options.url.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxRetries = options.maxRetries ?? 3;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
  }

  async send(events: readonly StampedEvent[]): Promise<BatchResult[]> {
    const [only] = events;
    if (events.length === 1 && only) return [await this.sendOne(only)];
    const results: BatchResult[] = [];
    for (let i = 0; i < events.length; i += BATCH_LIMIT) {
      const part = events.slice(i, i + BATCH_LIMIT);
      const body = await this.post<{ results: Array<BatchResult & { index: number }> }>('/v1/events/batch', { events: part.map((e) => e.envelope) }, part[0]?.traceparent ?? null);
      for (const r of body.results) {
        const { index: _index, ...result } = r;
        results.push(result);
      }
    }
    return results;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private async sendOne(event: StampedEvent): Promise<PublishResult> {
    return this.post<PublishResult>('/v1/events', event.envelope, event.traceparent);
  }

  private async post<T>(path: string, body: unknown, traceparent: string | null): Promise<T> {
    const payload = JSON.stringify(body);
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(`${this.base}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${this.options.apiKey}`, 'content-type': 'application/json', traceparent: childTraceparent(traceparent) },
          body: payload,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (err) {
        if (attempt < this.maxRetries) {
          await sleep(this.backoff(attempt, null));
          continue;
        }
        // fetch rejects with a DOMException, which is not always an `instanceof Error` of the
        // caller's realm (test runners, vm contexts): read its fields instead.
        const { name, message } = err as { name?: unknown; message?: unknown };
        throw new HookstreamPublishError(name === 'TimeoutError' ? 'timeout' : 'unreachable', `${path}: ${typeof message === 'string' ? message : String(err)}`);
      }
      const text = await res.text();
      if (res.ok) return JSON.parse(text) as T;
      const retryable = res.status === 429 || res.status >= 500;
      if (retryable && attempt < this.maxRetries) {
        await sleep(this.backoff(attempt, res.headers.get('retry-after')));
        continue;
      }
      let error: ErrorBody = {};
      try {
        error = JSON.parse(text) as ErrorBody;
      } catch {
        // Not the gateway's error body (a proxy's page, say): report the status alone.
      }
      throw new HookstreamPublishError(error.code ?? `http_${res.status}`, error.message ?? `the gateway answered ${res.status}`, res.status, error.details ?? null);
    }
  }

  /** Retry-After when the gateway gives one, else 200 ms doubling; never above the cap. */
  private backoff(attempt: number, retryAfter: string | null): number {
    const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : backoffDelayMs(attempt, { initialMs: 200, maxMs: this.maxRetryDelayMs });
    return Math.min(Math.max(0, ms), this.maxRetryDelayMs);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
