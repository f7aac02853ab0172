#!/usr/bin/env node
// Writes docs/configuration.md from the services' zod config schemas (the one source of truth:
// each service validates its environment with them at boot). Run after `npm run build`.
//   node scripts/config-table.mjs          write it
//   node scripts/config-table.mjs --check  exit 1 if it is not current (test/integration/config-docs.int-spec.ts runs this)
// A variable's description is the doc comment above it in its schema's source file.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './lib.mjs';

const { QUOTAS } = await import(pathToFileURL(join(ROOT, 'libs/domain/dist/index.js')).href);

const SERVICES = [
  { name: 'ingress-gateway', file: 'apps/ingress-gateway/src/config.ts', exportName: 'gatewayConfigSchema' },
  { name: 'subscription-registry', file: 'apps/subscription-registry/src/config.ts', exportName: 'registryConfigSchema' },
  { name: 'dispatcher', file: 'apps/dispatcher/src/config.ts', exportName: 'dispatcherConfigSchema' },
  { name: 'retry-scheduler', file: 'apps/retry-scheduler/src/config.ts', exportName: 'schedulerConfigSchema' },
  { name: 'dlq-inspector', file: 'apps/dlq-inspector/src/config.ts', exportName: 'inspectorConfigSchema' },
];
/** The web console's server: no Kafka, Postgres or Redis, so its few variables get a table of their own. */
const CONSOLE = [{ name: 'console', file: 'apps/console/src/server/config.ts', exportName: 'consoleConfigSchema' }];
/** Where shared variables are declared, searched for their doc comments after the service's own file. */
const SHARED_SOURCES = ['libs/platform/src/config.ts', 'libs/platform/src/quota-config.ts', 'libs/db/src/retention.ts', 'libs/webhook-http/src/sender-config.ts'];
// The check can be pointed at another file (the test shows it refuses a stale one).
const target = process.env.HOOKSTREAM_CONFIG_DOC ?? join(ROOT, 'docs/configuration.md');

/** `KEY` → its doc comment, from every `/** … *\/` directly above a `KEY:` line. */
function docComments(files) {
  const out = new Map();
  for (const file of files) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const m of text.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*\n\s*([A-Z][A-Z0-9_]+)\s*:/g)) {
      const doc = m[1].split('\n').map((l) => l.replace(/^\s*\*\s?/, '').trim()).filter(Boolean).join(' ');
      // `@default 5d` shows a default as the user writes it, where the schema's is a parsed value.
      const shown = /@default\s+(\S+)/.exec(doc);
      if (!out.has(m[2])) out.set(m[2], { doc: doc.replace(/\s*@default\s+\S+/, '').trim(), shownDefault: shown?.[1] ?? null });
    }
  }
  return out;
}

/** The literal a variable's default is written as in the source (`'5d'`, `60_000`), if any. */
function sourceDefaults(files) {
  const out = new Map();
  for (const file of files) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const m of text.matchAll(/^\s*([A-Z][A-Z0-9_]+)\s*:[^\n]*?\.default\('([^']*)'\)/gm)) if (!out.has(m[1])) out.set(m[1], m[2]);
  }
  return out;
}

/** What values a schema accepts, in a few words. */
function describeType(schema) {
  let s = schema;
  for (;;) {
    const def = s._zod.def;
    if (['default', 'optional', 'prefault', 'nullable', 'catch', 'readonly'].includes(def.type)) s = def.innerType;
    else break;
  }
  const def = s._zod.def;
  switch (def.type) {
    case 'enum':
      return Object.values(def.entries).map((v) => `\`${v}\``).join(' | ');
    case 'number': {
      const int = s.format === 'safeint' || s.isInt ? 'integer' : 'number';
      const lo = Number.isFinite(s.minValue) ? s.minValue : null;
      const hi = Number.isFinite(s.maxValue) ? s.maxValue : null;
      return lo !== null && hi !== null ? `${int} ${lo}–${hi}` : lo !== null ? `${int} ≥ ${lo}` : hi !== null ? `${int} ≤ ${hi}` : int;
    }
    case 'boolean':
      return 'boolean';
    case 'pipe': {
      const out = def.out._zod.def;
      if (out.type === 'array') return 'comma-separated list';
      return describeType(def.in);
    }
    case 'string':
      return s.format === 'url' ? 'URL' : 'text';
    default:
      return def.type;
  }
}

function defaultOf(name, schema, literals, shown) {
  let s = schema;
  let optional = false;
  for (;;) {
    const def = s._zod.def;
    if (def.type === 'default') {
      if (shown) return `\`${shown}\``;
      if (literals.has(name)) return literals.get(name) === '' ? 'empty' : `\`${literals.get(name)}\``;
      const v = def.defaultValue;
      if (Array.isArray(v)) return v.length ? `\`${v.join(',')}\`` : 'empty';
      if (v instanceof Map) return v.size ? `\`${[...v].map(([k, w]) => `${k}=${w}`).join(',')}\`` : 'empty';
      if (v === '') return 'empty';
      return `\`${typeof v === 'object' ? JSON.stringify(v) : String(v)}\``;
    }
    if (def.type === 'optional') optional = true;
    // A default may sit inside a pipe (a list parsed, then checked): look on its input side.
    const next = def.innerType ?? (def.type === 'pipe' ? def.in : null);
    if (!next) break;
    s = next;
  }
  return optional ? 'none' : '**required**';
}

/** A QUOTA_<NAME> variable says what its quota counts (libs/domain QUOTAS). */
function quotaDoc(name) {
  const quota = QUOTAS[name.replace(/^QUOTA_/, '').toLowerCase()];
  if (!name.startsWith('QUOTA_') || !quota) return '';
  return `The default per-tenant quota: at most this many ${quota.description} (ceiling ${quota.ceiling}); an operator overrides it per tenant with \`PUT /v1/tenants/:id/limits\`.`;
}

const escape = (text) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** name → { types, defaults: Map<default, services[]>, services: [], doc }, over `list`. */
async function collect(list) {
  const vars = new Map();
  for (const svc of list) {
    const mod = await import(pathToFileURL(join(ROOT, svc.file.replace('/src/', '/dist/').replace(/\.ts$/, '.js'))).href);
    const schema = mod[svc.exportName];
    if (!schema?.shape) throw new Error(`${svc.file} exports no ${svc.exportName} object schema (build first: npm run build)`);
    const files = [svc.file, ...SHARED_SOURCES];
    const docs = docComments(files);
    const literals = sourceDefaults(files);
    for (const [name, field] of Object.entries(schema.shape)) {
      let v = vars.get(name);
      if (!v) {
        v = { types: new Map(), defaults: new Map(), services: [], doc: docs.get(name)?.doc ?? quotaDoc(name) };
        vars.set(name, v);
      }
      if (!v.doc && docs.get(name)) v.doc = docs.get(name)?.doc ?? '';
      const d = defaultOf(name, field, literals, docs.get(name)?.shownDefault ?? null);
      v.defaults.set(d, [...(v.defaults.get(d) ?? []), svc.name]);
      const t = describeType(field);
      v.types.set(t, [...(v.types.get(t) ?? []), svc.name]);
      v.services.push(svc.name);
    }
  }
  return vars;
}

async function render() {
  const vars = await collect(SERVICES);
  const everyone = (v) => v.services.length === SERVICES.length;
  const row = ([name, v]) => {
    const perService = (m) => (m.size === 1 ? [...m.keys()][0] : [...m].map(([x, s]) => `${x} (${s.join(', ')})`).join('; '));
    const defaults = perService(v.defaults);
    const used = everyone(v) ? 'all' : v.services.join(', ');
    return `| \`${name}\` | ${escape(perService(v.types))} | ${escape(defaults)} | ${used} | ${escape(v.doc)} |`;
  };
  const sorted = [...vars].sort(([a], [b]) => a.localeCompare(b));
  const consoleVars = [...(await collect(CONSOLE))].sort(([a], [b]) => a.localeCompare(b));
  const head = '| variable | accepts | default | read by | what it does |\n|---|---|---|---|---|';
  return `<!-- Generated from the services' zod config schemas by scripts/config-table.mjs; edit the schemas' doc comments, then run it. -->
# Configuration

Each service reads its environment once at boot and validates it with its schema
(\`apps/<service>/src/config.ts\`, built on \`libs/platform\`'s); a bad or missing value stops the
process with a message naming the variable. An empty value counts as unset.

## Every service

${head}
${sorted.filter(([, v]) => everyone(v)).map(row).join('\n')}

## Per service

${head}
${sorted.filter(([, v]) => !everyone(v)).map(row).join('\n')}

## The web console (apps/console)

Its server serves the console's files and forwards the browser's API calls to three services
(docs/adr/0010-console.md); it reads only these.

${head}
${consoleVars.map(row).join('\n')}

The OpenTelemetry SDK also reads its standard variables (\`OTEL_SERVICE_NAME\`,
\`OTEL_RESOURCE_ATTRIBUTES\`, \`OTEL_TRACES_SAMPLER\`, \`OTEL_BSP_*\`, \`OTEL_PROPAGATORS\`);
\`OTEL_SDK_DISABLED=true\` also drops \`traceparent\` from messages and webhooks. \`npm run stack\`
reads \`KAFKA_PARTITIONS\` (e.g. \`events=12,deliveries=12\`).
`;
}

const text = await render();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing: stale
  }
  if (current !== text) {
    console.error('docs/configuration.md is not current: run node scripts/config-table.mjs (after npm run build)');
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
}
