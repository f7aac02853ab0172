#!/usr/bin/env node
// A webhook receiver for trying Hookstream (npm start, npm run receiver, and the `receiver`
// service of docker-compose.yml): prints every delivery and whether its Standard Webhooks
// signature verifies with WEBHOOK_SECRET. Answers RECEIVER_STATUS (200), or fails a share
// RECEIVER_FAILURE_RATE (0..1) of requests with 503 to show retries.
// It uses node:http and @hookstream/domain only, both in the production image (libs/testing and
// its dev dependencies are not).
import { createServer } from 'node:http';
import { verifyStandardWebhook } from '@hookstream/domain';

const port = Number(process.env.PORT ?? 4000);
const host = process.env.HOST ?? '127.0.0.1';
const status = Number(process.env.RECEIVER_STATUS ?? 200);
const failureRate = Number(process.env.RECEIVER_FAILURE_RATE ?? 0);
const secret = process.env.WEBHOOK_SECRET || undefined;
const MAX_BODY = 1024 * 1024;

const log = (level, msg, fields = {}) => console.log(JSON.stringify({ level, time: new Date().toISOString(), msg, ...fields }));

const server = createServer((req, res) => {
  const chunks = [];
  let size = 0;
  req.on('data', (c) => {
    size += c.length;
    if (size <= MAX_BODY) chunks.push(c);
  });
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const h = req.headers;
    const one = (name) => String(h[name] ?? '');
    const valid = secret
      ? verifyStandardWebhook(secret, { id: one('webhook-id'), timestamp: one('webhook-timestamp'), signature: one('webhook-signature') }, body, Math.floor(Date.now() / 1000))
      : null;
    const verdict = valid === null ? 'signature not checked (no WEBHOOK_SECRET)' : valid ? 'signature verified' : 'SIGNATURE INVALID';
    let parsed = null;
    try {
      parsed = JSON.parse(body || 'null');
    } catch {
      parsed = body.slice(0, 200);
    }
    log(valid === false ? 'warn' : 'info', `received ${req.method} ${req.url}: ${verdict}`, {
      'webhook-id': h['webhook-id'],
      'webhook-timestamp': h['webhook-timestamp'],
      'webhook-signature': h['webhook-signature'],
      body: parsed,
    });
    const answer = failureRate > 0 && Math.random() < failureRate ? 503 : status;
    res.writeHead(answer, { 'content-type': 'text/plain' });
    res.end(answer < 300 ? 'ok' : 'failing on purpose');
  });
});

server.listen(port, host, () => {
  const failing = failureRate > 0 ? `, fails ${Math.round(failureRate * 100)} % with 503` : '';
  log('info', `listening on http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${server.address().port}/webhooks (answers ${status}${failing})`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
