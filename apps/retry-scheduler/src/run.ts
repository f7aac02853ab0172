// Boots the retry-scheduler (main.ts imports this once the tracing hooks are in place).
import { runService } from '@hookstream/platform';
import { AppModule } from './app.module.js';
import { schedulerConfigSchema } from './config.js';

await runService({ name: 'retry-scheduler', schema: schedulerConfigSchema, module: (config, logger) => AppModule.forRoot(config, logger) });
