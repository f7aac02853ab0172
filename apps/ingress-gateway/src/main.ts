import { runService } from '@hookstream/platform';
import { AppModule } from './app.module.js';
import { gatewayConfigSchema } from './config.js';

await runService({
  name: 'ingress-gateway',
  schema: gatewayConfigSchema,
  module: (config, logger) => AppModule.forRoot(config, logger),
  bodyLimit: (config) => config.MAX_EVENT_BYTES,
});
