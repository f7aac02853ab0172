import { createServer } from 'node:net';

// Ports come from below Linux's ephemeral range (32768-60999). A port the kernel picks for
// listen(0) or for an outgoing connection comes from that range, so a port chosen there could be
// taken between freePort() and the service's own bind, and a test would then talk to whatever
// answered on it (a CI run once sent its events to another service of the same pipeline: 404).
const LOW = 20_000;
const HIGH = 32_000;
// Each jest worker draws from its own slice, so two test files running side by side never pick
// the same port; a process that is not a jest worker uses the whole range.
const worker = Number(process.env['JEST_WORKER_ID'] ?? '0');
const SLICES = 4;
const slice = worker > 0 ? { low: LOW + ((worker - 1) % SLICES) * ((HIGH - LOW) / SLICES), size: (HIGH - LOW) / SLICES } : { low: LOW, size: HIGH - LOW };
/** Ports this process has handed out: never handed out twice, even once their server closed. */
const given = new Set<number>();

/** A port nobody listens on now and that this process has not handed out before. */
export async function freePort(): Promise<number> {
  const start = Math.floor(Math.random() * slice.size);
  for (let i = 0; i < slice.size; i++) {
    const port = slice.low + ((start + i) % slice.size);
    if (given.has(port)) continue;
    if (await bindable(port)) {
      given.add(port);
      return port;
    }
  }
  throw new Error(`no free port between ${slice.low} and ${slice.low + slice.size - 1}`);
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}
