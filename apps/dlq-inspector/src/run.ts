// Boots the dlq-inspector (main.ts imports this once the tracing hooks are in place).
import { runService } from '@hookstream/platform';
import { AppModule } from './app.module.js';
import { inspectorConfigSchema } from './config.js';

await runService({ name: 'dlq-inspector', schema: inspectorConfigSchema, module: (config, logger) => AppModule.forRoot(config, logger) });
