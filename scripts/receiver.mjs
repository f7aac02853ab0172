#!/usr/bin/env node
// A webhook receiver for trying Hookstream locally: prints every delivery and whether its
// Standard Webhooks signature verifies with WEBHOOK_SECRET. Answers RECEIVER_STATUS (200).
import { TestReceiver } from '@hookstream/testing';

const port = Number(process.env.PORT ?? 4000);
const status = Number(process.env.RECEIVER_STATUS ?? 200);
const secret = process.env.WEBHOOK_SECRET || undefined;

const receiver = await TestReceiver.start({
  port,
  secret,
  respond: () => ({ status, body: status < 300 ? 'ok' : 'failing on purpose' }),
  onRequest: (r) => {
    const verdict = r.signatureValid === null ? 'signature not checked (no WEBHOOK_SECRET)' : r.signatureValid ? 'signature verified' : 'SIGNATURE INVALID';
    console.log(
      JSON.stringify({
        msg: `received ${r.method} ${r.path}: ${verdict}`,
        'webhook-id': r.headers['webhook-id'],
        'webhook-timestamp': r.headers['webhook-timestamp'],
        'webhook-signature': r.headers['webhook-signature'],
        body: JSON.parse(r.body || 'null'),
        level: r.signatureValid === false ? 'warn' : 'info',
        time: new Date().toISOString(),
      }),
    );
  },
});
console.log(JSON.stringify({ level: 'info', time: new Date().toISOString(), msg: `listening on ${receiver.url}/webhooks (answers ${status})` }));
const stop = () => receiver.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
