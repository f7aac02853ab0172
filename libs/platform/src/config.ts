import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** Thrown at boot when the environment does not describe a runnable service. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const csv = z
  .string()
  .transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean));

/**
 * A PEM file named by a variable, read once at boot: the variable's value is the path, the
 * config holds the file's text. A missing file, or one without the expected block, stops boot.
 */
function pemFile(block: RegExp, what: string) {
  return z.string().transform((path, ctx) => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` });
      return z.NEVER;
    }
    if (!block.test(text)) {
      ctx.addIssue({ code: 'custom', message: `${path} holds no PEM ${what}` });
      return z.NEVER;
    }
    return text;
  });
}

export const KAFKA_SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;

/** The libraries whose calls become spans by themselves, when spans are exported (instrumentation.ts). */
export const AUTO_INSTRUMENTATIONS = ['http', 'express', 'pg', 'ioredis'] as const;
export type AutoInstrumentation = (typeof AUTO_INSTRUMENTATIONS)[number];

/** Variables every service reads; apps extend this with their own. */
export const baseConfigSchema = z.object({
  /** `production` refuses FAULT_INJECTION and other test-only settings. */
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** The HTTP port (health, metrics and the service's API); each service has its own default. */
  PORT: z.coerce.number().int().min(0).max(65535),
  /** The address the HTTP server listens on (`0.0.0.0` in containers). */
  HOST: z.string().default('127.0.0.1'),
  /** pino log level; logs are JSON lines on stdout, with secrets and payloads redacted. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Postgres; in production each service connects as its own role (docs/security.md), and `npm start` does the same locally. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .default('postgres://postgres@127.0.0.1:5432/hookstream'),
  /** Postgres connections this process may hold. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** A Postgres connection is replaced after this many seconds (0: never). Each keeps the plans of its prepared statements from when it made them; this bounds how far they lag a table that grew (libs/db prepared.ts). 60 served hostile_tenant; it stays off by default until a stall seen once after a Kafka crash with it on is explained (docs/architecture.md). */
  DATABASE_CONNECTION_MAX_AGE_S: z.coerce.number().int().min(0).max(86_400).default(0),
  /** Redis: rate limits, dedup fast path, key usage; never the only copy of anything. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').default('redis://127.0.0.1:6379'),
  /** Kafka bootstrap brokers, `host:port[,host:port…]`; set it to use your cluster (no local broker is started then). */
  KAFKA_BROKERS: csv.pipe(z.array(z.string().regex(/^[^:]+:\d+$/, 'each broker must be host:port')).min(1)).default(['127.0.0.1:9092']),
  /** How the services talk to Kafka, as Kafka names it: `SASL_SSL` in production (SCRAM over TLS, docs/runbook.md "Kafka in production"); `SSL` alone, with a client certificate, for mutual-TLS listeners. */
  KAFKA_SECURITY_PROTOCOL: z.enum(KAFKA_SECURITY_PROTOCOLS).default('PLAINTEXT'),
  /** The SASL mechanism of `SASL_*` protocols. PLAIN sends the password itself, so only over TLS. */
  KAFKA_SASL_MECHANISM: z.enum(['SCRAM-SHA-512', 'SCRAM-SHA-256', 'PLAIN']).default('SCRAM-SHA-512'),
  /** This service's Kafka principal (one per service; docs/runbook.md lists what each may do). Required with `SASL_*`. */
  KAFKA_SASL_USERNAME: z.string().regex(/^[\x21-\x2b\x2d-\x3c\x3e-\x7e]{1,128}$/, 'must be 1-128 printable ASCII characters without spaces, commas or =').optional(),
  /** Its password. Required with `SASL_*`. */
  KAFKA_SASL_PASSWORD: z.string().regex(/^\P{Cc}{1,1024}$/u, 'must be 1-1024 characters without control characters').optional(),
  /** A PEM file of the CA certificates that sign the brokers' certificates (TLS protocols); unset: the system's CAs. */
  KAFKA_SSL_CA_FILE: pemFile(/-----BEGIN CERTIFICATE-----/, 'certificate').optional(),
  /** This service's client certificate (PEM), for brokers that authenticate clients by TLS; with KAFKA_SSL_KEY_FILE. */
  KAFKA_SSL_CERT_FILE: pemFile(/-----BEGIN CERTIFICATE-----/, 'certificate').optional(),
  /** The client certificate's private key (PEM, unencrypted); with KAFKA_SSL_CERT_FILE. */
  KAFKA_SSL_KEY_FILE: pemFile(/-----BEGIN (RSA |EC )?PRIVATE KEY-----/, 'private key').optional(),
  /** Prepended to every topic and consumer group name, so several environments can share a broker. */
  KAFKA_TOPIC_PREFIX: z.string().default(''),
  /** Settled offsets are committed at most this often per consumer (0: after every batch); a crash re-reads at most this much settled work, which every consumer handles idempotently. */
  KAFKA_COMMIT_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  /**
   * How long the consumer groups wait for a member that stopped heartbeating (a crash, a lost
   * node) before its partitions go to the others: the pause a crash costs those partitions.
   */
  KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6000).max(300_000).default(30_000),
  /** The bootstrap admin key (named `admin:bootstrap` in audit logs), for first start; make named admin keys with it and keep it in a secret store. `npm start` generates one into `.local/`. */
  ADMIN_API_KEY: z.string().min(24, 'must be at least 24 characters').optional(),
  /** How long SIGTERM may take: stop fetching, finish in-flight work, commit, exit. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).default(25_000),
  // Read by the OpenTelemetry SDK itself (libs/platform telemetry.ts); validated here so a typo
  // stops the process instead of silently exporting nothing.
  /** `true`: no spans at all, and no `traceparent` on messages and webhooks. */
  OTEL_SDK_DISABLED: z.enum(['true', 'false']).default('false'),
  /** Empty: spans are made and propagated, not exported; `otlp`, `zipkin` or `console` exports them. */
  OTEL_TRACES_EXPORTER: csv.pipe(z.array(z.enum(['otlp', 'zipkin', 'console', 'none']))).default([]),
  /** OTLP transport (the SDK defaults to `http/protobuf`). */
  OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(['grpc', 'http/protobuf', 'http/json']).optional(),
  /** Like OTEL_EXPORTER_OTLP_PROTOCOL, for traces only. */
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: z.enum(['grpc', 'http/protobuf', 'http/json']).optional(),
  /** Where OTLP exports go (the SDK defaults to `http://localhost:4318`). */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** Like OTEL_EXPORTER_OTLP_ENDPOINT, for traces only. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  /**
   * Libraries not to trace, of `http`, `express`, `pg` and `ioredis`, comma-separated. When spans
   * are exported, API requests (named by their route) and the Postgres and Redis calls made while
   * serving one become spans; with no exporter, none of the four is loaded.
   */
  OTEL_NODE_DISABLED_INSTRUMENTATIONS: csv.pipe(z.array(z.enum(AUTO_INSTRUMENTATIONS))).default([]),
});

export type BaseConfig = z.infer<typeof baseConfigSchema>;

/** Reads and validates the environment once; every problem is named by its variable. */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  // Empty strings mean "unset": compose files and shells produce them for absent values.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) {
    const problems = kafkaSecurityProblems(result.data as Partial<BaseConfig>);
    if (problems.length) throw new ConfigError(problems);
    return result.data;
  }
  throw new ConfigError(
    result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
  );
}

/**
 * What the Kafka variables mean only together. A TLS file given to a protocol without TLS, or
 * credentials to one without SASL, is refused rather than ignored: whoever set it expected it used.
 */
export function kafkaSecurityProblems(c: Partial<BaseConfig>): string[] {
  const protocol = c.KAFKA_SECURITY_PROTOCOL ?? 'PLAINTEXT';
  const sasl = protocol.startsWith('SASL_');
  const tls = protocol.endsWith('SSL');
  const problems: string[] = [];
  if (sasl && !c.KAFKA_SASL_USERNAME) problems.push(`KAFKA_SASL_USERNAME: required with KAFKA_SECURITY_PROTOCOL=${protocol}`);
  if (sasl && !c.KAFKA_SASL_PASSWORD) problems.push(`KAFKA_SASL_PASSWORD: required with KAFKA_SECURITY_PROTOCOL=${protocol}`);
  if (!sasl && (c.KAFKA_SASL_USERNAME || c.KAFKA_SASL_PASSWORD)) problems.push(`KAFKA_SASL_USERNAME: set, but KAFKA_SECURITY_PROTOCOL=${protocol} does not use SASL`);
  if (sasl && !tls && c.KAFKA_SASL_MECHANISM === 'PLAIN') problems.push('KAFKA_SASL_MECHANISM: PLAIN sends the password in clear; use it only with SASL_SSL');
  for (const name of ['KAFKA_SSL_CA_FILE', 'KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE'] as const) {
    if (!tls && c[name]) problems.push(`${name}: set, but KAFKA_SECURITY_PROTOCOL=${protocol} does not use TLS`);
  }
  if (Boolean(c.KAFKA_SSL_CERT_FILE) !== Boolean(c.KAFKA_SSL_KEY_FILE)) problems.push(`${c.KAFKA_SSL_CERT_FILE ? 'KAFKA_SSL_KEY_FILE' : 'KAFKA_SSL_CERT_FILE'}: a client certificate needs both KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE`);
  return problems;
}

export { csv as csvSchema, pemFile as pemFileSchema };

/** Nest injection token for the validated configuration object of the running service. */
export const APP_CONFIG = Symbol('APP_CONFIG');
