import { runService } from '@hookstream/platform';
import { AppModule } from './app.module.js';
import { schedulerConfigSchema } from './config.js';

await runService({ name: 'retry-scheduler', schema: schedulerConfigSchema, module: (config, logger) => AppModule.forRoot(config, logger) });
