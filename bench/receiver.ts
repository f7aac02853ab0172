/**
 * The bench's webhook receiver as a process of its own (so its CPU is measured apart and it
 * never shares an event loop with the harness):
 *
 *   node bench/receiver.ts --ports 4 [--tls-cert server.crt --tls-key server.key]
 *
 * With a certificate, it serves as many HTTPS ports as HTTP ones (the https scenarios).
 * Prints one JSON line, {"ports":[…],"tls_ports":[…],"control":…}, once it listens on 127.0.0.1. Control API:
 * GET /stats, POST /reset {"count_prefix":"evt_x_"}, PUT /mode {"fail_first_fraction":0.5,"fail_status":503},
 * GET /receipts (tab-separated: key, first 2xx time, requests, 2xx answers).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FastReceiver } from './harness/fast-receiver.ts';

const { values } = parseArgs({ options: { ports: { type: 'string', default: '1' }, 'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' } } });
const ports = Number(values.ports);
if (!Number.isInteger(ports) || ports < 1) {
  process.stderr.write(`--ports must be a positive whole number, got "${values.ports}"\n`);
  process.exit(2);
}
const certFile = values['tls-cert'];
const keyFile = values['tls-key'];
if ((certFile === undefined) !== (keyFile === undefined)) {
  process.stderr.write('--tls-cert and --tls-key go together\n');
  process.exit(2);
}
const tls = certFile !== undefined && keyFile !== undefined ? { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') } : null;
const receiver = new FastReceiver();
process.stdout.write(`${JSON.stringify(await receiver.listen(ports, '127.0.0.1', tls))}\n`);
// Exit normally on a signal, so that --cpu-prof gets to write its profile.
const stop = () => void receiver.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
