import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { countRequest, WebhookReader } from '../../bench/harness/webhook-reading.ts';
import type { Receipt } from '../../bench/harness/ledger.ts';

/**
 * How an origin answers. The hostile ones misbehave on a delivery's first request and answer
 * 2xx after, so every delivery they get should still arrive; `dead` never accepts one, so its
 * deliveries must end as dead letters. `flaky` answers 503 to the first request of one delivery
 * in FLAKY_EVERY: enough retries to hold an ordered key's later events back now and then, few
 * enough that each key keeps up with its publisher.
 */
export const BEHAVIOURS = ['ok', 'hang', 'reset', 'slow', 'throttle', 'huge', 'dead', 'flaky'] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];

/** How long `slow` takes to answer: well inside the dispatcher's default 15 s attempt timeout. */
export const SLOW_ANSWER_MS = 1500;
/** `huge` answers every delivery with this much body, which the dispatcher must not choke on. */
export const HUGE_BODY_BYTES = 8 << 20;

/**
 * Paths the hostile tenant's endpoints use on the friendly `ok` origin, so that it shares an
 * origin (scheme, host, port) with the good tenants' healthy endpoints: `slow` answers 2xx after
 * HOSTILE_SLOW_MS, `late` after HOSTILE_LATE_MS (beyond its subscriptions' 1 s timeout), `fail`
 * answers 500 at once, whatever the origin's own behaviour.
 */
export const HOSTILE_PATHS = { slow: '/h-slow/', late: '/h-late/', fail: '/h-fail/' } as const;
export const HOSTILE_SLOW_MS = 10_000;
export const HOSTILE_LATE_MS = 3000;

export const FLAKY_EVERY = 8;

/**
 * Requests to paths that start with this (the ordered subscriptions') are also logged one by one
 * in arrival order, with their answer: a key's order is a property of the sequence, which the
 * per-key counts of `Receipt` cannot show.
 */
export const ORDERED_PATH = '/ordered';

/** One request to an ordered subscription, as it arrived: its delivery key, when (epoch ms), and whether it was answered 2xx. */
export interface Arrival {
  key: string;
  at: number;
  ok: boolean;
}

const OK = Buffer.from('ok');
const HUGE = Buffer.alloc(HUGE_BODY_BYTES, 'x');

/**
 * The suite's webhook receivers, one origin (port) per behaviour, in the harness's own process.
 * Each records what arrives per delivery key (`<webhook-id> <path>`, as the bench's receiver
 * does): requests, and 2xx answers, so a second 2xx is a duplicate.
 */
export class ChaosReceivers {
  private readonly receipts = new Map<string, Receipt>();
  /** Reads each request and counts its tries: which is a delivery's (or a batch's) first. */
  private readonly reader = new WebhookReader();
  private readonly arrivals: Arrival[] = [];
  /** New delivery keys the flaky origin has seen: every FLAKY_EVERY-th one fails its first request. */
  private flakySeen = 0;
  private readonly servers: Server[] = [];
  private readonly hung = new Set<ServerResponse>();
  private readonly ports = new Map<Behaviour, number>();

  static async start(): Promise<ChaosReceivers> {
    const r = new ChaosReceivers();
    for (const b of BEHAVIOURS) r.ports.set(b, await r.listen(b));
    return r;
  }

  origin(b: Behaviour): string {
    return `http://127.0.0.1:${String(this.ports.get(b))}`;
  }

  /** What arrived for the keys that start with `prefix` (a scenario's event ids). */
  receiptsFor(prefix: string): Map<string, Receipt> {
    return new Map([...this.receipts].filter(([k]) => k.startsWith(prefix)));
  }

  /** Requests to the ordered subscriptions for the keys that start with `prefix`, in arrival order. */
  arrivalsFor(prefix: string): Arrival[] {
    return this.arrivals.filter((a) => a.key.startsWith(prefix));
  }

  /** Delivery keys answered 2xx at least once, among those starting with `prefix`. */
  okKeys(prefix: string): number {
    let n = 0;
    for (const [k, r] of this.receipts) if (r.oks > 0 && k.startsWith(prefix)) n++;
    return n;
  }

  async close(): Promise<void> {
    for (const res of this.hung) res.destroy();
    await Promise.all(
      this.servers.map((s) => {
        s.closeAllConnections();
        return new Promise<void>((resolve) => s.close(() => resolve()));
      }),
    );
  }

  private async listen(b: Behaviour): Promise<number> {
    const server = createServer((req, res) => this.webhook(b, req, res));
    server.keepAliveTimeout = 65_000;
    this.servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }

  private webhook(b: Behaviour, req: IncomingMessage, res: ServerResponse): void {
    // A batch (docs/guides/batching.md): each envelope in its array is a delivery, and the batch's
    // answer is each one's.
    this.reader.read(req, ({ path, keys, tries }) => {
      const receipts = keys.map((key) => countRequest(this.receipts, key));
      const arrivals: Arrival[] = path.startsWith(ORDERED_PATH) ? keys.map((key) => ({ key, at: Date.now(), ok: false })) : [];
      this.arrivals.push(...arrivals);
      const accept = (body: Buffer = OK) => {
        // A slow answer to a client that went away (a killed dispatcher) is never received.
        if (res.destroyed) return;
        for (const r of receipts) {
          r.oks++;
          r.firstOkAt ??= Date.now();
        }
        for (const a of arrivals) a.ok = true;
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length }).end(body);
      };
      const first = tries === 1;
      if (path.startsWith(HOSTILE_PATHS.slow) || path.startsWith(HOSTILE_PATHS.late)) {
        const after = path.startsWith(HOSTILE_PATHS.slow) ? HOSTILE_SLOW_MS : HOSTILE_LATE_MS;
        this.hung.add(res);
        res.once('close', () => this.hung.delete(res));
        setTimeout(() => accept(), after).unref();
        return;
      }
      if (path.startsWith(HOSTILE_PATHS.fail)) {
        res.writeHead(500, { 'content-type': 'text/plain', 'content-length': 4 }).end('fail');
        return;
      }
      switch (b) {
        case 'ok':
          return accept();
        case 'hang':
          // Never answered: the dispatcher's attempt timeout has to end it.
          if (first) {
            this.hung.add(res);
            res.once('close', () => this.hung.delete(res));
            return;
          }
          return accept();
        case 'reset':
          if (first) {
            req.socket.resetAndDestroy();
            return;
          }
          return accept();
        case 'slow':
          setTimeout(() => accept(), SLOW_ANSWER_MS);
          return;
        case 'throttle':
          if (first) {
            res.writeHead(429, { 'retry-after': '1', 'content-length': 0 }).end();
            return;
          }
          return accept();
        case 'huge':
          return accept(HUGE);
        case 'dead':
          res.writeHead(500, { 'content-type': 'text/plain', 'content-length': 4 }).end('down');
          return;
        case 'flaky':
          if (first && this.flakySeen++ % FLAKY_EVERY === 0) {
            res.writeHead(503, { 'content-type': 'text/plain', 'content-length': 5 }).end('flaky');
            return;
          }
          return accept();
      }
    });
  }
}
