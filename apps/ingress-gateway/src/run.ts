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
  // Partner callbacks are public: an unauthenticated caller gets a small limit of its own.
  publicBodyLimit: (config) => config.INCOMING_MAX_BODY_BYTES,
  // Partner signatures are checked over the exact bytes received.
  rawBody: true,
});
