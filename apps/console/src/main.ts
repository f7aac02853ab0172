import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, createLogger } from '@hookstream/platform/standalone';
import { loadConsoleConfig } from './server/config.js';
import { createConsoleServer } from './server/console-server.js';
import { WebFiles } from './server/static-files.js';

async function main(): Promise<void> {
  const config = loadConsoleConfig();
  const logger = createLogger('console', config.LOG_LEVEL);
  const names = await readdir(join(config.CONSOLE_WEB_DIR, 'assets')).catch(() => [] as string[]);
  const web = await WebFiles.load(config.CONSOLE_WEB_DIR, names);
  const server = createConsoleServer(config, web, logger);
  // A live tail is a request that never ends; without this, close() would wait for it forever.
  const stop = () => {
    server.close();
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info({ url: `http://${config.HOST}:${String(port)}/`, services: { ingressGateway: config.INGRESS_GATEWAY_URL, subscriptionRegistry: config.SUBSCRIPTION_REGISTRY_URL, dlqInspector: config.DLQ_INSPECTOR_URL } }, 'console listening');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof ConfigError || err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
