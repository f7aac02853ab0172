import { fileURLToPath } from 'node:url';
import { baseConfigSchema, loadConfig } from '@hookstream/platform/standalone';
import { z } from 'zod';

const serviceUrl = z.url().refine((u) => /^https?:$/.test(new URL(u).protocol), 'must be an http(s) URL');

export const consoleConfigSchema = z.object({
  /** The console's HTTP port: its page, its files and `/api/…`. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3005),
  /** The address it listens on (`0.0.0.0` in containers). */
  HOST: z.string().default('127.0.0.1'),
  /** The ingress-gateway, which `/api/ingress-gateway/v1/…` is forwarded to (a base path, if any, is kept). */
  INGRESS_GATEWAY_URL: serviceUrl.default('http://127.0.0.1:3000'),
  /** The subscription-registry, for `/api/subscription-registry/v1/…`. */
  SUBSCRIPTION_REGISTRY_URL: serviceUrl.default('http://127.0.0.1:3001'),
  /** The dlq-inspector, for `/api/dlq-inspector/v1/…`. */
  DLQ_INSPECTOR_URL: serviceUrl.default('http://127.0.0.1:3004'),
  /** The built single-page app (`npm run build:console` writes it next to the server). @default apps/console/dist/web */
  CONSOLE_WEB_DIR: z.string().default(fileURLToPath(new URL('../web', import.meta.url))),
  /** pino log level, as the services have it. */
  LOG_LEVEL: baseConfigSchema.shape.LOG_LEVEL,
  /** Longest a forwarded request may wait for its answer to begin; the live tail's stream is exempt once open. */
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
});

export type ConsoleConfig = z.infer<typeof consoleConfigSchema>;

export function loadConsoleConfig(env: NodeJS.ProcessEnv = process.env): ConsoleConfig {
  return loadConfig(consoleConfigSchema, env);
}
