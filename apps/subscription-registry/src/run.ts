// Boots the subscription-registry (main.ts imports this once the tracing hooks are in place).
import { runService } from '@hookstream/platform';
import { AppModule } from './app.module.js';
import { registryConfigSchema } from './config.js';

await runService({ name: 'subscription-registry', schema: registryConfigSchema, module: (config, logger) => AppModule.forRoot(config, logger) });
