import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from '@jest/globals';
import { listensOn } from './listener.js';
import { freePort } from './ports.js';

describe('freePort', () => {
  it('hands out ports below the ephemeral range, never the same one twice', async () => {
    const ports: number[] = [];
    for (let i = 0; i < 200; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(200);
    expect(ports.every((p) => p >= 20_000 && p < 32_768)).toBe(true);
  });
});

describe('listensOn', () => {
  const servers: Server[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });

  it('says whether this process holds the listening socket of a port', async () => {
    const port = await freePort();
    expect(await listensOn(process.pid, port)).toBe(false);
    const server = createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    expect(await listensOn(process.pid, port)).toBe(true);
    // The parent of this process holds no socket on that port.
    expect(await listensOn(process.ppid, port)).toBe(false);
  });
});
