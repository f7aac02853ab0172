import { parseArgs } from 'node:util';

import { ARGV_KEY_REFUSED, checkTransport, readKeyFile, resolveApiKey } from './credentials.js';
import { UsageError } from './usage-error.js';

export { UsageError };

/** Selects dead letters: the same fields the dlq-inspector API takes. */
export interface Filter {
  subscription_id?: string;
  event_type?: string;
  since?: string;
  until?: string;
  status_code?: string;
  error_class?: string;
}

export interface Page {
  limit?: number;
  cursor?: string;
  /** Follow next_cursor to the end. */
  all: boolean;
}

export interface JobOptions {
  rate?: number;
  dryRun: boolean;
  wait: boolean;
  idempotencyKey?: string;
}

export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'dlq ls'; filter: Filter; replayed?: boolean; page: Page }
  | { kind: 'dlq show'; id: string }
  | { kind: 'dlq replay'; id: string; force: boolean; idempotencyKey?: string }
  | { kind: 'dlq replay-bulk'; filter: Filter; job: JobOptions }
  | { kind: 'dlq recover'; subscriptionId: string; since: string; job: JobOptions }
  | { kind: 'deliveries ls'; filter: Omit<Filter, 'error_class'>; status?: string; page: Page }
  | { kind: 'deliveries show'; id: string }
  | { kind: 'jobs ls'; status?: string; page: Page }
  | { kind: 'jobs show'; id: string; wait: boolean }
  | { kind: 'jobs cancel'; id: string }
  | { kind: 'subscriptions ls'; page: Page }
  | { kind: 'subscriptions enable'; id: string }
  | { kind: 'subscriptions disable'; id: string; reason?: string }
  | { kind: 'subscriptions match'; eventType: string; data?: Record<string, unknown> }
  /** null: one event per request. Left-out bounds take the API's defaults. */
  | { kind: 'subscriptions batch'; id: string; batch: { max_events?: number; max_bytes?: number; max_wait_ms?: number } | null }
  | { kind: 'tenants enable'; tenantId: string }
  | { kind: 'tenants disable'; tenantId: string }
  | { kind: 'tail'; subscriptionId?: string }
  | { kind: 'events'; subscriptionId: string; after?: string; limit?: number; all: boolean; follow: boolean }
  | { kind: 'quarantine ls'; filter: QuarantineFilter; page: Page }
  | { kind: 'quarantine show'; id: string }
  | { kind: 'quarantine redrive'; id: string };

/** Selects quarantined messages: the fields GET /v1/quarantine takes. */
export interface QuarantineFilter {
  topic?: string;
  code?: string;
  status?: string;
  since?: string;
  until?: string;
}

export interface Globals {
  json: boolean;
  apiKey: string;
  dlqUrl: string;
  registryUrl: string;
  /** For admin keys: the tenant to act for. */
  tenant?: string;
}

export const DEFAULT_DLQ_URL = 'http://127.0.0.1:3004';
export const DEFAULT_REGISTRY_URL = 'http://127.0.0.1:3001';

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  json: { type: 'boolean' },
  /** Refused with an explanation: see ARGV_KEY_REFUSED. */
  'api-key': { type: 'string' },
  'api-key-file': { type: 'string' },
  insecure: { type: 'boolean' },
  'dlq-url': { type: 'string' },
  'registry-url': { type: 'string' },
  tenant: { type: 'string' },
  subscription: { type: 'string' },
  'event-type': { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  'status-code': { type: 'string' },
  'error-class': { type: 'string' },
  replayed: { type: 'string' },
  limit: { type: 'string' },
  cursor: { type: 'string' },
  all: { type: 'boolean' },
  force: { type: 'boolean' },
  'idempotency-key': { type: 'string' },
  rate: { type: 'string' },
  'dry-run': { type: 'boolean' },
  wait: { type: 'boolean' },
  status: { type: 'string' },
  reason: { type: 'string' },
  topic: { type: 'string' },
  data: { type: 'string' },
  code: { type: 'string' },
  after: { type: 'string' },
  follow: { type: 'boolean' },
  'max-events': { type: 'string' },
  'max-bytes': { type: 'string' },
  'max-wait-ms': { type: 'string' },
  off: { type: 'boolean' },
} as const;

type Flag = keyof typeof OPTIONS;
type Values = Partial<Record<Flag, string | boolean>>;

const GLOBAL: Flag[] = ['help', 'version', 'json', 'api-key', 'api-key-file', 'insecure', 'dlq-url', 'registry-url', 'tenant'];
const FILTER: Flag[] = ['subscription', 'event-type', 'since', 'until', 'status-code', 'error-class'];
const PAGE: Flag[] = ['limit', 'cursor', 'all'];
const JOB: Flag[] = ['rate', 'dry-run', 'wait', 'idempotency-key'];

/** Each command with the flags it accepts besides the global ones, and its positional arguments. */
const COMMANDS: Record<string, { flags: Flag[]; args: string[] }> = {
  'dlq ls': { flags: [...FILTER, 'replayed', ...PAGE], args: [] },
  'dlq show': { flags: [], args: ['dead-letter-id'] },
  'dlq replay': { flags: ['force', 'idempotency-key'], args: ['dead-letter-id'] },
  'dlq replay-bulk': { flags: [...FILTER, ...JOB], args: [] },
  'dlq recover': { flags: ['since', ...JOB], args: ['subscription-id'] },
  'deliveries ls': { flags: ['subscription', 'event-type', 'since', 'until', 'status-code', 'status', ...PAGE], args: [] },
  'deliveries show': { flags: [], args: ['delivery-id'] },
  'jobs ls': { flags: ['status', ...PAGE], args: [] },
  'jobs show': { flags: ['wait'], args: ['job-id'] },
  'jobs cancel': { flags: [], args: ['job-id'] },
  'subscriptions ls': { flags: PAGE, args: [] },
  'subscriptions enable': { flags: [], args: ['subscription-id'] },
  'subscriptions disable': { flags: ['reason'], args: ['subscription-id'] },
  'subscriptions match': { flags: ['data'], args: ['event-type'] },
  'subscriptions batch': { flags: ['max-events', 'max-bytes', 'max-wait-ms', 'off'], args: ['subscription-id'] },
  'tenants enable': { flags: [], args: ['tenant-id'] },
  'tenants disable': { flags: [], args: ['tenant-id'] },
  tail: { flags: ['subscription'], args: [] },
  events: { flags: ['subscription', 'after', 'limit', 'all', 'follow'], args: [] },
  'quarantine ls': { flags: ['topic', 'code', 'status', 'since', 'until', ...PAGE], args: [] },
  'quarantine show': { flags: [], args: ['quarantined-id'] },
  'quarantine redrive': { flags: [], args: ['quarantined-id'] },
};
/** Other names of commands. */
const ALIASES: Record<string, string> = { 'quarantine list': 'quarantine ls' };

export const COMMAND_NAMES = Object.keys(COMMANDS);

/**
 * Reads the command line and the environment (HOOKSTREAM_*) into a command and its settings.
 * `readKey` reads --api-key-file (a parameter so tests need no files).
 */
export function parseCommandLine(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  now: Date,
  readKey: (path: string) => string = readKeyFile,
): { command: Command; globals: Globals } {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values: v, positionals } = parsed;
  const str = (flag: Flag): string | undefined => (typeof v[flag] === 'string' ? v[flag] : undefined);
  if (v['api-key'] !== undefined) throw new UsageError(ARGV_KEY_REFUSED);
  const globals: Globals = {
    json: v.json === true,
    apiKey: '',
    dlqUrl: baseUrl(str('dlq-url') ?? env['HOOKSTREAM_DLQ_URL'] ?? DEFAULT_DLQ_URL, '--dlq-url'),
    registryUrl: baseUrl(str('registry-url') ?? env['HOOKSTREAM_REGISTRY_URL'] ?? DEFAULT_REGISTRY_URL, '--registry-url'),
    ...optional('tenant', str('tenant') ?? env['HOOKSTREAM_TENANT']),
  };
  if (v.version) return { command: { kind: 'version' }, globals };
  if (v.help || positionals.length === 0) return { command: { kind: 'help' }, globals };

  // Single-word commands take no positional arguments, so the name is the first word alone.
  const typed = COMMANDS[positionals[0] ?? ''] ? (positionals[0] ?? '') : positionals.slice(0, 2).join(' ');
  const name = ALIASES[typed] ?? typed;
  const spec = COMMANDS[name];
  if (!spec) throw new UsageError(`unknown command "${name}"; the commands are: ${COMMAND_NAMES.join(', ')}`);
  const args = positionals.slice(typed.split(' ').length);
  if (args.length !== spec.args.length) {
    throw new UsageError(spec.args.length ? `${name} takes ${spec.args.map((a) => `<${a}>`).join(' ')}` : `${name} takes no arguments, got "${args.join(' ')}"`);
  }
  const stray = (Object.keys(v) as Flag[]).filter((f) => !GLOBAL.includes(f) && !spec.flags.includes(f));
  if (stray.length) throw new UsageError(`${name} does not take ${stray.map((f) => `--${f}`).join(', ')}`);
  checkTransport(globals.dlqUrl, '--dlq-url', v.insecure === true);
  checkTransport(globals.registryUrl, '--registry-url', v.insecure === true);
  globals.apiKey = resolveApiKey(str('api-key-file'), env, readKey);
  if (!globals.apiKey) throw new UsageError('no API key: set HOOKSTREAM_API_KEY, or pass --api-key-file <path> (or set HOOKSTREAM_API_KEY_FILE)');

  const uuid = (value: string, what: string): string => {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) throw new UsageError(`${what} must be a UUID, got "${value}"`);
    return value;
  };
  const id = (what: string): string => uuid(args[0] ?? '', what);
  const page = (): Page => ({ ...optional('limit', positiveInt(str('limit'), '--limit')), ...optional('cursor', str('cursor')), all: v.all === true });
  const job = (): JobOptions => ({
    ...optional('rate', positiveInt(str('rate'), '--rate')),
    dryRun: v['dry-run'] === true,
    wait: v.wait === true,
    ...optional('idempotencyKey', str('idempotency-key')),
  });
  const filter = (): Filter => {
    const sub = str('subscription');
    return {
      ...optional('subscription_id', sub === undefined ? undefined : uuid(sub, '--subscription')),
      ...optional('event_type', str('event-type')),
      ...optional('since', time(str('since'), '--since', now)),
      ...optional('until', time(str('until'), '--until', now)),
      ...optional('status_code', str('status-code')),
      ...optional('error_class', str('error-class')),
    };
  };

  switch (name) {
    case 'dlq ls':
      return { command: { kind: name, filter: filter(), page: page(), ...optional('replayed', yesNo(str('replayed'), '--replayed')) }, globals };
    case 'dlq show':
      return { command: { kind: name, id: id('the dead letter id') }, globals };
    case 'dlq replay':
      return { command: { kind: name, id: id('the dead letter id'), force: v.force === true, ...optional('idempotencyKey', str('idempotency-key')) }, globals };
    case 'dlq replay-bulk':
      return { command: { kind: name, filter: filter(), job: job() }, globals };
    case 'dlq recover': {
      const since = time(str('since'), '--since', now);
      if (!since) throw new UsageError('dlq recover needs --since: what died since when (e.g. 2h, or 2026-11-22T02:00:00Z)');
      return { command: { kind: name, subscriptionId: id('the subscription id'), since, job: job() }, globals };
    }
    case 'deliveries ls': {
      const { error_class: _none, ...picked } = filter();
      return { command: { kind: name, filter: picked, page: page(), ...optional('status', str('status')) }, globals };
    }
    case 'deliveries show':
      return { command: { kind: name, id: id('the delivery id') }, globals };
    case 'jobs ls':
      return { command: { kind: name, page: page(), ...optional('status', str('status')) }, globals };
    case 'jobs show':
      return { command: { kind: name, id: id('the job id'), wait: v.wait === true }, globals };
    case 'jobs cancel':
      return { command: { kind: name, id: id('the job id') }, globals };
    case 'subscriptions ls':
      return { command: { kind: name, page: page() }, globals };
    case 'subscriptions match':
      return { command: { kind: name, eventType: args[0] ?? '', ...optional('data', jsonObject(str('data'), '--data')) }, globals };
    case 'subscriptions enable':
      return { command: { kind: name, id: id('the subscription id') }, globals };
    case 'subscriptions batch': {
      const bounds = {
        ...optional('max_events', positiveInt(str('max-events'), '--max-events')),
        ...optional('max_bytes', positiveInt(str('max-bytes'), '--max-bytes')),
        ...optional('max_wait_ms', wholeNumber(str('max-wait-ms'), '--max-wait-ms')),
      };
      if (v.off === true && Object.keys(bounds).length > 0) throw new UsageError('--off turns batching off: it takes no --max-* bounds');
      return { command: { kind: name, id: id('the subscription id'), batch: v.off === true ? null : bounds }, globals };
    }
    case 'tenants enable':
    case 'tenants disable': {
      const tenantId = args[0] ?? '';
      // The registry's tenant id rule (contracts tenantIdSchema), checked before any request.
      if (!/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$/.test(tenantId)) throw new UsageError(`the tenant id must be letters, digits, "-" or "_", got "${tenantId}"`);
      return { command: { kind: name, tenantId }, globals };
    }
    case 'quarantine ls':
      return {
        command: {
          kind: name,
          filter: { ...optional('topic', str('topic')), ...optional('code', str('code')), ...optional('status', str('status')), ...optional('since', time(str('since'), '--since', now)), ...optional('until', time(str('until'), '--until', now)) },
          page: page(),
        },
        globals,
      };
    case 'quarantine show':
    case 'quarantine redrive':
      return { command: { kind: name, id: id('the quarantined message id') }, globals };
    case 'events': {
      const sub = str('subscription');
      if (sub === undefined) throw new UsageError('events needs --subscription <id>: the feed is one subscription\'s');
      if (v.all === true && v.follow === true) throw new UsageError('--all and --follow do not go together: --follow reads to the end and then keeps reading');
      return {
        command: { kind: name, subscriptionId: uuid(sub, '--subscription'), ...optional('after', str('after')), ...optional('limit', positiveInt(str('limit'), '--limit')), all: v.all === true, follow: v.follow === true },
        globals,
      };
    }
    case 'tail': {
      const sub = str('subscription');
      return { command: { kind: name, ...optional('subscriptionId', sub === undefined ? undefined : uuid(sub, '--subscription')) }, globals };
    }
    default:
      return { command: { kind: 'subscriptions disable', id: id('the subscription id'), ...optional('reason', str('reason')) }, globals };
  }
}

function optional<K extends string, T>(key: K, value: T | undefined): { [P in K]?: T } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: T };
}

function positiveInt(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^[1-9]\d{0,8}$/.test(raw)) throw new UsageError(`${flag} must be a positive whole number, got "${raw}"`);
  return Number(raw);
}

/** Zero or a positive whole number (a wait of 0 ms is a setting of its own). */
function wholeNumber(raw: string | undefined, flag: string): number | undefined {
  if (raw === '0') return 0;
  return positiveInt(raw, flag);
}

function yesNo(raw: string | undefined, flag: string): boolean | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'true' || raw === 'yes') return true;
  if (raw === 'false' || raw === 'no') return false;
  throw new UsageError(`${flag} must be true or false, got "${raw}"`);
}

/**
 * A time as the API wants it (ISO 8601): given as one, or as how long ago, e.g. `90s`, `30m`,
 * `2h`, `3d`.
 */
export function time(raw: string | undefined, flag: string, now: Date): string | undefined {
  if (raw === undefined) return undefined;
  const ago = /^(\d+)([smhd])$/.exec(raw);
  if (ago) {
    const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[ago[2] as 's' | 'm' | 'h' | 'd'];
    return new Date(now.getTime() - Number(ago[1]) * unit).toISOString();
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(raw) && !Number.isNaN(Date.parse(raw))) return new Date(raw).toISOString();
  throw new UsageError(`${flag} must be an ISO 8601 time (2026-11-22T02:00:00Z) or how long ago (30m, 2h, 3d), got "${raw}"`);
}

function baseUrl(raw: string, flag: string): string {
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
    return url.toString().replace(/\/+$/, '');
  } catch {
    throw new UsageError(`${flag} must be an http(s) URL, got "${raw}"`);
  }
}

/** A JSON object given on the command line (`--data '{"amount": 5}'`); the API checks the rest. */
function jsonObject(text: string | undefined, flag: string): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${flag} must be a JSON object: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${flag} must be a JSON object, got ${text.slice(0, 40)}`);
  return value as Record<string, unknown>;
}
