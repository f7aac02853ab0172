import { QUARANTINE_HEADER_PREFIX, QUARANTINE_HEADERS, tenantIdSchema } from '@hookstream/contracts';
import type { KafkaMessage } from 'kafkajs';
import { rawHeaders, type RawMessage } from './raw-message.js';

/** A message the host takes out of its partition, and why. */
export interface Poison {
  message: KafkaMessage;
  partition: number;
  /** Bounded: `validation_failed` (schema), `malformed_json`, `pg_22008`, a handler's refusal code. */
  code: string;
  reason: string;
  details?: unknown;
  tenantId: string | null;
}

export interface QuarantineSource {
  /** The physical topic the message was read from. */
  topic: string;
  /** The consumer group as configured (no prefix or instance suffix). */
  group: string;
}

const MAX_DETAILS_BYTES = 16 * 1024;
const MAX_REASON_CHARS = 1000;

/**
 * The quarantine record of a poison message: its key, value and headers as they were (the bytes
 * a re-drive produces back), plus `hs-quarantine-*` headers naming the source and the reason.
 * Quarantine headers a re-driven message still carried are replaced, never stacked.
 */
export function quarantineRecord(p: Poison, source: QuarantineSource, now: Date): RawMessage {
  const headers = rawHeaders(p.message).filter(([name]) => !name.startsWith(QUARANTINE_HEADER_PREFIX));
  const add = (name: string, value: string) => headers.push([name, Buffer.from(value)]);
  add(QUARANTINE_HEADERS.code, p.code);
  add(QUARANTINE_HEADERS.reason, printable(p.reason).slice(0, MAX_REASON_CHARS));
  add(QUARANTINE_HEADERS.details, detailsJson(p.details));
  add(QUARANTINE_HEADERS.topic, source.topic);
  add(QUARANTINE_HEADERS.partition, String(p.partition));
  add(QUARANTINE_HEADERS.offset, p.message.offset);
  add(QUARANTINE_HEADERS.timestamp, p.message.timestamp);
  add(QUARANTINE_HEADERS.group, source.group);
  add(QUARANTINE_HEADERS.quarantinedAt, now.toISOString());
  if (p.tenantId) add(QUARANTINE_HEADERS.tenantId, p.tenantId);
  return { key: p.message.key, value: p.message.value, headers };
}

/**
 * The tenant a message names, if it is a valid tenant id: its value's `tenant_id` (or a dead
 * letter's `delivery.tenant_id`), else, on a topic keyed by tenant id, its key. So a tenant can
 * find its own poison even when the value is not JSON at all.
 */
export function tenantOf(value: unknown, tenantKey: string | null = null): string | null {
  const v = typeof value === 'object' && value !== null ? (value as { tenant_id?: unknown; delivery?: { tenant_id?: unknown } | null }) : {};
  const candidate = v.tenant_id ?? (typeof v.delivery === 'object' && v.delivery !== null ? v.delivery.tenant_id : undefined);
  const parsed = tenantIdSchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  const keyed = tenantIdSchema.safeParse(tenantKey);
  return keyed.success ? keyed.data : null;
}

/** Header values are text: control characters (NUL above all) would break whoever stores them. */
function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) => (c === '\n' || c === '\t' ? ' ' : '\ufffd'));
}

function detailsJson(details: unknown): string {
  let json: string;
  try {
    json = JSON.stringify(details ?? null) ?? 'null';
  } catch {
    json = JSON.stringify({ note: 'details could not be serialised' });
  }
  if (Buffer.byteLength(json) <= MAX_DETAILS_BYTES) return json;
  return JSON.stringify({ truncated: true, preview: json.slice(0, MAX_DETAILS_BYTES / 2) });
}
