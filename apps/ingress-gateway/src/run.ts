// Boots the ingress-gateway (main.ts imports this once the tracing hooks are in place).
import { runService } from '@hookstream/platform';
import { AppModule } from './app.module.js';
import { gatewayConfigSchema } from './config.js';

await runService({
  name: 'ingress-gateway',
  schema: gatewayConfigSchema,
  module: (config, logger) => AppModule.forRoot(config, logger),
  // The parser admits the largest body any route may take; each route then enforces its own
  // limit (a tenant's event limit, up to the ceiling, or the batch limit) with a 413.
  bodyLimit: (config) => Math.max(config.MAX_EVENT_BYTES_CEILING, config.MAX_BATCH_BYTES),
  // POST /v1/events takes one event, which no tenant may send larger than the ceiling: a body
  // over it is refused before it is parsed (reading, parsing and measuring a 2 MiB body stalled
  // the gateway for every tenant in hostile_tenant), not only after, by the tenant's own limit.
  namedBodyLimits: (config) => ({ event: config.MAX_EVENT_BYTES_CEILING }),
  // Partner callbacks are public: an unauthenticated caller gets a small limit of its own.
  publicBodyLimit: (config) => config.INCOMING_MAX_BODY_BYTES,
  // Partner signatures are checked over the exact bytes received.
  rawBody: true,
});
