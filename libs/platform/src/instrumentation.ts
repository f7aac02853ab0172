import { register } from 'node:module';
import type { IncomingMessage } from 'node:http';
import { type Instrumentation, registerInstrumentations } from '@opentelemetry/instrumentation';
import { register as registerSyncHooks, supportsSyncHooks } from 'import-in-the-middle/register-hooks.mjs';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { AUTO_INSTRUMENTATIONS, type AutoInstrumentation, baseConfigSchema } from './config.js';
import { maskUrl } from './redaction.js';

/** The modules the four instrumentations patch. */
const HOOKED_MODULES = ['http', 'https', 'express', 'pg', 'pg-pool', 'ioredis'] as const;

/** Routes probed every few seconds by Kubernetes and Prometheus: spans of them would bury the rest. */
const UNTRACED_PATHS = /^\/(health|metrics)(\/|\?|$)/;

/**
 * Which instrumentations to load, from the variables the typed config validates later (this runs
 * before it can: the hooks must be in place before pg, ioredis and express are loaded). None when
 * nothing is exported: their spans would be made and dropped, costing CPU on every query for
 * nothing. A malformed value loads none, and the config check that follows stops the process.
 */
export function wantedInstrumentations(env: NodeJS.ProcessEnv): AutoInstrumentation[] {
  const parsed = baseConfigSchema.pick({ OTEL_SDK_DISABLED: true, OTEL_TRACES_EXPORTER: true, OTEL_NODE_DISABLED_INSTRUMENTATIONS: true }).safeParse(env);
  if (!parsed.success || parsed.data.OTEL_SDK_DISABLED === 'true') return [];
  if (!parsed.data.OTEL_TRACES_EXPORTER.some((name) => name !== 'none')) return [];
  const disabled = new Set(parsed.data.OTEL_NODE_DISABLED_INSTRUMENTATIONS);
  return AUTO_INSTRUMENTATIONS.filter((name) => !disabled.has(name));
}

function build(name: AutoInstrumentation): Instrumentation {
  switch (name) {
    case 'http':
      return new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.test(req.url ?? ''),
        // The only outgoing HTTP is webhooks, which have their own CLIENT span (the attempt), and
        // the OTLP exporter; a second span and a second traceparent on each webhook would mislead.
        disableOutgoingRequestInstrumentation: true,
        // Query strings can carry tokens (partner callbacks); names stay, values are masked, as in logs.
        requestHook: (span, req) => {
          const url = (req as IncomingMessage).url ?? '';
          if (url.includes('?')) span.setAttribute('url.query', maskUrl(`http://h${url}`).split('?')[1] ?? '');
        },
      });
    case 'express':
      // Only for `http.route` on the server span (named `POST /v1/events` by it): a span per
      // layer would add a dozen (Nest's middleware, router, handler) to every request's trace.
      return new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.ROUTER, ExpressLayerType.REQUEST_HANDLER] });
    case 'pg':
      // Queries of background loops (no parent span) would each be a trace of one span: only traced work's.
      return new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false });
    case 'ioredis':
      // The command's name only: its arguments are keys and payloads (tenant and event ids, event bodies).
      return new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (command: string) => command });
  }
}

/**
 * Makes http, express, pg and ioredis calls spans of the trace they run in, for a service that
 * exports spans. Must run before those libraries are imported: each service's main.ts calls it
 * first and imports the rest dynamically. The loader hook covers `import`; CommonJS `require`s (pg
 * from TypeORM, express from Nest) are covered by the instrumentations' require hook. Spans made
 * before the SDK starts (in runService, once the config is read) are no-ops.
 */
export function instrumentLibraries(env: NodeJS.ProcessEnv = process.env): AutoInstrumentation[] {
  const names = wantedInstrumentations(env);
  if (names.length === 0) return names;
  // In-thread (synchronous) loader hooks, for the ESM `import`s: only of the modules patched, so
  // the rest load untouched. Node before 24.11.1 lacks them: there the asynchronous loader serves.
  if (supportsSyncHooks()) registerSyncHooks({ include: [...HOOKED_MODULES] });
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the fallback for Node 24 before 24.11.1
  else register('import-in-the-middle/hook.mjs', import.meta.url);
  registerInstrumentations({ instrumentations: names.map(build) });
  return names;
}
