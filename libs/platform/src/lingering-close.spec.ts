import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { lingerOnClose } from './lingering-close.js';

/** A server that refuses every request with 401 before reading its body, as our auth guard does. */
function refusingServer(lingerMs: number): Promise<Server> {
  const server = createServer((req, res) => {
    res.setHeader('Connection', 'close');
    lingerOnClose(req.socket, lingerMs);
    res.statusCode = 401;
    res.end('{"code":"unauthenticated"}');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

interface Upload {
  status: number;
  /** Milliseconds from connecting until the server closed the connection. */
  closedAfterMs: number;
}

/**
 * Uploads as fast as the socket takes it, without end when `bytes` is Infinity (chunked), and
 * resolves when the connection closes, so the server's closing is observed.
 */
function upload(port: number, bytes: number, ignoreTheFin = false): Promise<Upload> {
  return new Promise((resolve) => {
    const started = Date.now();
    // allowHalfOpen keeps uploading after the server's FIN, as a client that ignores the answer would.
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: ignoreTheFin });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let answer = '';
    let sent = 0;
    socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
    const done = () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0), closedAfterMs: Date.now() - started });
    socket.on('error', () => socket.destroy());
    socket.on('close', done);
    const length = Number.isFinite(bytes) ? `content-length: ${bytes}` : 'transfer-encoding: chunked';
    socket.write(`POST / HTTP/1.1\r\nhost: x\r\n${length}\r\n\r\n`);
    const pump = () => {
      if (socket.destroyed || sent >= bytes) return;
      sent += chunk.length;
      socket.write(Number.isFinite(bytes) ? chunk : Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]));
      setImmediate(pump);
    };
    pump();
  });
}

describe('lingerOnClose', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('lets a client still uploading read the answer instead of a reset', async () => {
    server = await refusingServer(2_000);
    const { port } = server.address() as AddressInfo;
    // Without lingering, every one of these loses its 401 to the reset (200 of 200 measured).
    const results = [];
    for (let i = 0; i < 20; i++) results.push(await upload(port, 8 * 1024 * 1024));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(401));
  });

  it('cuts a client that never stops sending once the linger time has passed', async () => {
    server = await refusingServer(300);
    const { port } = server.address() as AddressInfo;
    const res = await upload(port, Infinity, true);
    expect(res.status).toBe(401);
    expect(res.closedAfterMs).toBeGreaterThanOrEqual(250);
    expect(res.closedAfterMs).toBeLessThan(5_000);
  });
});
