/**
 * The bench's webhook receiver as a process of its own (so its CPU is measured apart and it
 * never shares an event loop with the harness):
 *
 *   node bench/receiver.ts --ports 4
 *
 * Prints one JSON line, {"ports":[…],"control":…}, once it listens on 127.0.0.1. Control API:
 * GET /stats, POST /reset {"count_prefix":"evt_x_"}, PUT /mode {"fail_first_fraction":0.5,"fail_status":503},
 * GET /receipts (tab-separated: key, first 2xx time, requests, 2xx answers).
 */
import { parseArgs } from 'node:util';
import { FastReceiver } from './harness/fast-receiver.ts';

const { values } = parseArgs({ options: { ports: { type: 'string', default: '1' } } });
const ports = Number(values.ports);
if (!Number.isInteger(ports) || ports < 1) {
  process.stderr.write(`--ports must be a positive whole number, got "${values.ports}"\n`);
  process.exit(2);
}
const receiver = new FastReceiver();
process.stdout.write(`${JSON.stringify(await receiver.listen(ports))}\n`);
// Exit normally on a signal, so that --cpu-prof gets to write its profile.
const stop = () => void receiver.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
