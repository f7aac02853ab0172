import { runService } from '@hookstream/platform';
import { AppModule } from './app.module.js';
import { gatewayConfigSchema } from './config.js';

await runService({
  name: 'ingress-gateway',
  schema: gatewayConfigSchema,
  module: (config, logger) => AppModule.forRoot(config, logger),
  // The batch route needs the larger limit; the single-event route enforces MAX_EVENT_BYTES itself.
  bodyLimit: (config) => Math.max(config.MAX_EVENT_BYTES, config.MAX_BATCH_BYTES),
});
