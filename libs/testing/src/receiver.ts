import { createServer, type IncomingHttpHeaders, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { verifyStandardWebhook } from '@hookstream/domain';
import { waitFor } from './wait.js';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** null when the receiver has no secret to check against. */
  signatureValid: boolean | null;
  at: number;
  /** Over TLS with a client certificate: its subject's common name; otherwise null. */
  clientCertificate: string | null;
}

export interface ReceiverResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface ReceiverOptions {
  port?: number;
  host?: string;
  secret?: string;
  /** Decides each answer; 200 by default. */
  respond?: (req: ReceivedRequest, index: number) => ReceiverResponse | Promise<ReceiverResponse>;
  onRequest?: (req: ReceivedRequest) => void;
  /** Serve HTTPS with this certificate; with `clientCa`, require client certificates it signed. */
  tls?: { cert: string; key: string; clientCa?: string };
}

/** A webhook receiver on loopback that records what arrives and checks signatures. */
export class TestReceiver {
  readonly requests: ReceivedRequest[] = [];
  private server: Server | null = null;
  respond: NonNullable<ReceiverOptions['respond']>;
  secret: string | undefined;

  constructor(private readonly options: ReceiverOptions = {}) {
    this.respond = options.respond ?? (() => ({ status: 200, body: 'ok' }));
    this.secret = options.secret;
  }

  static async start(options: ReceiverOptions = {}): Promise<TestReceiver> {
    const r = new TestReceiver(options);
    await r.listen();
    return r;
  }

  get url(): string {
    const addr = this.server?.address() as AddressInfo | null;
    if (!addr) throw new Error('receiver not listening');
    return `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${addr.port}`;
  }

  async listen(): Promise<void> {
    const handle: RequestListener = (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const h = req.headers;
        const signatureValid = this.secret
          ? verifyStandardWebhook(
              this.secret,
              { id: String(h['webhook-id'] ?? ''), timestamp: String(h['webhook-timestamp'] ?? ''), signature: String(h['webhook-signature'] ?? '') },
              body,
              Math.floor(Date.now() / 1000),
            )
          : null;
        const peer = this.options.tls ? (req.socket as TLSSocket).getPeerCertificate() : null;
        const clientCertificate = peer?.subject ? String(peer.subject.CN) : null;
        const received: ReceivedRequest = { method: req.method ?? '', path: req.url ?? '', headers: h, body, signatureValid, at: Date.now(), clientCertificate };
        const index = this.requests.push(received) - 1;
        this.options.onRequest?.(received);
        Promise.resolve(this.respond(received, index))
          .then((answer) => {
            res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
            res.end(answer.body ?? '');
          })
          .catch(() => {
            res.writeHead(500);
            res.end();
          });
      });
    };
    const tls = this.options.tls;
    this.server = tls
      ? createHttpsServer({ cert: tls.cert, key: tls.key, ...(tls.clientCa ? { ca: tls.clientCa, requestCert: true, rejectUnauthorized: true } : {}) }, handle)
      : createServer(handle);
    this.server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
  }

  async waitForRequests(count: number, timeoutMs: number, filter: (r: ReceivedRequest) => boolean = () => true): Promise<ReceivedRequest[]> {
    return waitFor(
      () => {
        const matching = this.requests.filter(filter);
        return matching.length >= count ? matching : undefined;
      },
      timeoutMs,
      `${count} request(s) at the receiver`,
      50,
    );
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await closeServer(server);
  }
}

/** Stops a test server now: its keep-alive connections too, which close() alone would wait for. */
export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
