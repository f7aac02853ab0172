import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { closeServer } from './receiver.js';

/**
 * An HTTP CONNECT proxy on loopback, as an egress proxy (squid, tinyproxy) would be: it records
 * every CONNECT target it is asked for (and its Proxy-Authorization), and tunnels only to
 * loopback, answering 403 to anything else (a test must never reach beyond this machine).
 */
export class TestConnectProxy {
  readonly connects: { target: string; authorization: string | null }[] = [];
  private readonly tunnels = new Set<Socket>();
  private server: Server | null = null;
  /** When set, every CONNECT is refused with this status (a proxy that denies the target). */
  refuseWith: number | null = null;

  static async start(): Promise<TestConnectProxy> {
    const proxy = new TestConnectProxy();
    await proxy.listen();
    return proxy;
  }

  get url(): string {
    const addr = this.server?.address() as AddressInfo | null;
    if (!addr) throw new Error('proxy not listening');
    return `http://127.0.0.1:${addr.port}`;
  }

  private async listen(): Promise<void> {
    const server = createServer((_req, res) => {
      res.writeHead(405);
      res.end('CONNECT only');
    });
    server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
      const target = req.url ?? '';
      this.connects.push({ target, authorization: typeof req.headers['proxy-authorization'] === 'string' ? req.headers['proxy-authorization'] : null });
      const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(target);
      const host = m?.[1] ?? m?.[2] ?? '';
      const loopback = host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
      if (this.refuseWith !== null || !loopback) {
        client.end(`HTTP/1.1 ${this.refuseWith ?? 403} Refused\r\n\r\n`);
        return;
      }
      const upstream = connect({ host, port: Number(m?.[3]) }, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      for (const s of [client, upstream]) {
        this.tunnels.add(s);
        s.on('close', () => this.tunnels.delete(s));
      }
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  }

  /** Cuts every open tunnel (the clients' pooled connections through it end). */
  dropTunnels(): void {
    for (const s of this.tunnels) s.destroy();
  }

  async close(): Promise<void> {
    this.dropTunnels();
    const server = this.server;
    this.server = null;
    if (server) await closeServer(server);
  }
}
