// A tiny internal service that publishes Hookstream events with the producer SDK.
//
//   npm run build && node examples/order-service/main.ts
//   curl -s -X POST localhost:4100/orders -d '{"total_cents":4200}'
//
// Kafka mode by default (HOOKSTREAM_BROKERS, 127.0.0.1:9092); set HOOKSTREAM_GATEWAY_URL and
// HOOKSTREAM_API_KEY to post to the gateway instead.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { HookstreamPublisher, HookstreamValidationError } from '@hookstream/publisher';

/** Every event this service publishes, and the shape of its data. */
type OrderEvents = {
  'order.placed': { order_id: string; total_cents: number };
  'order.cancelled': { order_id: string; reason: string };
};

const env = process.env;
const tenantId = env['HOOKSTREAM_TENANT'] ?? 'acme';
const hooks = env['HOOKSTREAM_GATEWAY_URL']
  ? new HookstreamPublisher<OrderEvents>({ url: env['HOOKSTREAM_GATEWAY_URL'], apiKey: env['HOOKSTREAM_API_KEY'] ?? '', tenantId })
  : new HookstreamPublisher<OrderEvents>({ brokers: (env['HOOKSTREAM_BROKERS'] ?? '127.0.0.1:9092').split(','), tenantId });

const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    if (req.method !== 'POST' || req.url !== '/orders') {
      res.writeHead(404).end();
      return;
    }
    const order = { order_id: `ord_${randomUUID()}`, total_cents: Number((JSON.parse(body || '{}') as { total_cents?: unknown }).total_cents ?? 0) };
    // The order id makes the event id: if this request is retried, the event is still delivered once.
    hooks
      .publish({ type: 'order.placed', id: `${order.order_id}.placed`, data: order })
      .then((published) => res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ ...order, event_id: published.id })))
      .catch((err: unknown) => {
        const status = err instanceof HookstreamValidationError ? 422 : 503;
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(err) }));
      });
  });
});

server.listen(Number(env['PORT'] ?? 4100), '127.0.0.1', () => console.log('order-service listening on 127.0.0.1:4100'));

// Stop taking orders, let publishes in flight finish, then leave.
process.once('SIGTERM', () => {
  server.close();
  void hooks.close().then(() => process.exit(0));
});
