// Boots the dispatcher (main.ts imports this once the tracing hooks are in place).
import { runService } from '@hookstream/platform';
import { AppModule } from './app.module.js';
import { dispatcherConfigSchema } from './config.js';

await runService({ name: 'dispatcher', schema: dispatcherConfigSchema, module: (config, logger) => AppModule.forRoot(config, logger) });
