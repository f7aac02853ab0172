import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { epochMs } from './clock.ts';
import { failsFirstAttempt } from './failure.ts';
import type { Receipt } from './ledger.ts';
import { countRequest, WebhookReader } from './webhook-reading.ts';

/** How the receiver answers; changed at run time through the control API. */
export const receiverModeSchema = z.strictObject({
  /** Fraction of delivery keys whose first request is answered `fail_status` (decided by a hash of the key). */
  fail_first_fraction: z.number().min(0).max(1),
  fail_status: z.number().int().min(400).max(599).default(503),
});
export type ReceiverMode = z.infer<typeof receiverModeSchema>;

/** `POST /reset` may name a key prefix whose delivered keys the stats count apart. */
export const resetSchema = z.strictObject({ count_prefix: z.string().default('') });

export interface ReceiverStats {
  /** Every webhook request since the last reset. */
  requests: number;
  /** Delivery keys answered 2xx at least once. */
  ok_keys: number;
  /** Requests, and keys answered 2xx, whose key starts with the prefix named at the last reset (a phase's own). */
  prefix_requests: number;
  /** Deliveries the phase's requests carried: as many as the requests, unless they were batches. */
  prefix_deliveries: number;
  prefix_ok_keys: number;
  oks: number;
  /** Requests answered with the failure status on purpose. */
  failed: number;
}

export interface ReceiverAddress {
  /** One webhook port per origin. */
  ports: number[];
  /** As many HTTPS webhook ports, when the receiver was given a certificate. */
  tls_ports: number[];
  control: number;
}

/** A server certificate and its key (PEM) for the HTTPS ports. */
export interface ReceiverTls {
  cert: string;
  key: string;
}

const OK = Buffer.from('ok');
const FAILING = Buffer.from('failing on purpose');

/**
 * The bench's webhook receiver: node:http and as little work as possible per request. It keys
 * each delivery by `<webhook-id> <path>` (the id is the event's, the path names the
 * subscription), keeps the first 2xx time and the request counts per key, and answers at once.
 * Several webhook ports make several origins; a separate control port resets it, changes its
 * failure mode and hands out what it recorded.
 */
export class FastReceiver {
  private readonly receipts = new Map<string, Receipt>();
  /** Reads each request and counts its tries (a batch's retries share its id, as a delivery's do). */
  private readonly reader = new WebhookReader();
  private readonly stats: ReceiverStats = { requests: 0, ok_keys: 0, prefix_requests: 0, prefix_deliveries: 0, prefix_ok_keys: 0, oks: 0, failed: 0 };
  private countPrefix = '';
  private mode: ReceiverMode = { fail_first_fraction: 0, fail_status: 503 };
  private readonly servers: Server[] = [];

  async listen(webhookPorts: number, host = '127.0.0.1', tls: ReceiverTls | null = null): Promise<ReceiverAddress> {
    const ports: number[] = [];
    const tlsPorts: number[] = [];
    for (let i = 0; i < webhookPorts; i++) ports.push(await this.serve(createServer((req, res) => this.webhook(req, res)), host));
    if (tls) {
      for (let i = 0; i < webhookPorts; i++) tlsPorts.push(await this.serve(createHttpsServer(tls, (req, res) => this.webhook(req, res)), host));
    }
    const control = await this.serve(
      createServer((req, res) => void this.control(req, res)),
      host,
    );
    return { ports, tls_ports: tlsPorts, control };
  }

  async close(): Promise<void> {
    await Promise.all(
      this.servers.map((s) => {
        s.closeAllConnections();
        return new Promise<void>((resolve) => s.close(() => resolve()));
      }),
    );
  }

  private async serve(server: Server, host: string): Promise<number> {
    // Longer than any client's idle keep-alive, so the receiver never closes a pooled socket first.
    server.keepAliveTimeout = 65_000;
    this.servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }

  private webhook(req: IncomingMessage, res: ServerResponse): void {
    this.reader.read(req, ({ requestKey, keys, tries }) => {
      const at = epochMs();
      this.stats.requests++;
      const ours = requestKey.startsWith(this.countPrefix) || (keys[0] ?? '').startsWith(this.countPrefix);
      if (ours) {
        this.stats.prefix_requests++;
        this.stats.prefix_deliveries += keys.length;
      }
      const fails = tries === 1 && failsFirstAttempt(requestKey, this.mode.fail_first_fraction);
      for (const key of keys) {
        const r = countRequest(this.receipts, key);
        if (fails) continue;
        if (r.oks === 0) {
          r.firstOkAt = at;
          this.stats.ok_keys++;
          if (key.startsWith(this.countPrefix)) this.stats.prefix_ok_keys++;
        }
        r.oks++;
      }
      if (fails) {
        this.stats.failed++;
        res.writeHead(this.mode.fail_status, { 'content-type': 'text/plain', 'content-length': FAILING.length }).end(FAILING);
        return;
      }
      this.stats.oks++;
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': OK.length }).end(OK);
    });
  }

  private async control(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const route = `${req.method ?? ''} ${req.url ?? ''}`;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const reply = (status: number, body?: unknown) => {
      res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' }).end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (route === 'GET /stats') return reply(200, this.stats);
    const body = <T extends z.ZodType>(schema: T): z.infer<T> | string => {
      let json: unknown;
      try {
        json = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      } catch {
        return 'the body is not JSON';
      }
      const parsed = schema.safeParse(json);
      return parsed.success ? parsed.data : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    };
    if (route === 'POST /reset') {
      const r = body(resetSchema);
      if (typeof r === 'string') return reply(400, { code: 'invalid_reset', message: r });
      this.receipts.clear();
      this.reader.clear();
      this.countPrefix = r.count_prefix;
      Object.assign(this.stats, { requests: 0, ok_keys: 0, prefix_requests: 0, prefix_deliveries: 0, prefix_ok_keys: 0, oks: 0, failed: 0 });
      return reply(204);
    }
    if (route === 'PUT /mode') {
      const m = body(receiverModeSchema);
      if (typeof m === 'string') return reply(400, { code: 'invalid_mode', message: m });
      this.mode = m;
      return reply(204);
    }
    if (route === 'GET /receipts') {
      // One line per key: key, first 2xx time (empty if none), requests, 2xx answers; tab-separated.
      res.writeHead(200, { 'content-type': 'text/tab-separated-values' });
      let buf = '';
      for (const [key, r] of this.receipts) {
        buf += `${key}\t${r.firstOkAt ?? ''}\t${r.requests}\t${r.oks}\n`;
        if (buf.length > 64 * 1024) {
          if (!res.write(buf)) await new Promise((resolve) => res.once('drain', resolve));
          buf = '';
        }
      }
      res.end(buf);
      return;
    }
    reply(404, { code: 'not_found', message: `no route ${route}` });
  }
}

export function parseReceipts(text: string): Map<string, Receipt> {
  const receipts = new Map<string, Receipt>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [key = '', firstOkAt = '', requests = '0', oks = '0'] = line.split('\t');
    receipts.set(key, { firstOkAt: firstOkAt === '' ? null : Number(firstOkAt), requests: Number(requests), oks: Number(oks) });
  }
  return receipts;
}
