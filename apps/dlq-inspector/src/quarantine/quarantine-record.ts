import { QUARANTINE_HEADER_PREFIX, QUARANTINE_HEADERS, tenantIdSchema } from '@hookstream/contracts';
import type { RawMessage } from '@hookstream/kafka';

/** A quarantined message as the dlq-inspector stores it. */
export interface QuarantineRow {
  quarantine_topic: string;
  quarantine_partition: number;
  quarantine_offset: string;
  source_topic: string;
  source_partition: number;
  source_offset: string;
  source_timestamp: string | null;
  consumer_group: string;
  tenant_id: string | null;
  code: string;
  reason: string;
  details: string;
  message_key: Buffer | null;
  value: Buffer | null;
  /** The original headers as [name, value] in base64. */
  headers: Array<[string, string]>;
  quarantined_at: string;
}

/**
 * Reads a quarantine record: the `hs-quarantine-*` headers say where it came from and why, the
 * rest is the original message. A record without them (produced by hand) is kept too, with its
 * own coordinates as the source, and cannot be re-driven.
 */
export function readQuarantineRecord(topic: string, partition: number, offset: string, raw: RawMessage, now: Date): QuarantineRow {
  const q = new Map<string, string>();
  const original: Array<[string, string]> = [];
  for (const [name, value] of raw.headers) {
    if (name.startsWith(QUARANTINE_HEADER_PREFIX)) q.set(name, value.toString('utf8'));
    else original.push([Buffer.from(name).toString('base64'), value.toString('base64')]);
  }
  const sourcePartition = Number(q.get(QUARANTINE_HEADERS.partition));
  const sourceOffset = q.get(QUARANTINE_HEADERS.offset) ?? '';
  const known = Number.isInteger(sourcePartition) && sourcePartition >= 0 && /^\d{1,19}$/.test(sourceOffset) && Boolean(q.get(QUARANTINE_HEADERS.topic));
  const tenant = tenantIdSchema.safeParse(q.get(QUARANTINE_HEADERS.tenantId));
  const sourceMs = Number(q.get(QUARANTINE_HEADERS.timestamp));
  return {
    quarantine_topic: topic,
    quarantine_partition: partition,
    quarantine_offset: offset,
    source_topic: known ? text(q.get(QUARANTINE_HEADERS.topic), 300) : '',
    source_partition: known ? sourcePartition : partition,
    source_offset: known ? sourceOffset : offset,
    source_timestamp: Number.isFinite(sourceMs) && sourceMs > 0 && sourceMs < 253402300800000 ? new Date(sourceMs).toISOString() : null,
    consumer_group: known ? text(q.get(QUARANTINE_HEADERS.group), 300) : '(unknown)',
    tenant_id: tenant.success ? tenant.data : null,
    code: text(q.get(QUARANTINE_HEADERS.code), 100) || 'unknown',
    reason: text(q.get(QUARANTINE_HEADERS.reason), 2000) || 'no reason recorded',
    details: text(q.get(QUARANTINE_HEADERS.details), 64 * 1024) || 'null',
    message_key: raw.key,
    value: raw.value,
    headers: original,
    quarantined_at: isoOr(q.get(QUARANTINE_HEADERS.quarantinedAt), now),
  };
}

/** Postgres text cannot hold NUL. */
function text(s: string | undefined, max: number): string {
  return (s ?? '').replaceAll('\u0000', '\ufffd').slice(0, max);
}

function isoOr(s: string | undefined, fallback: Date): string {
  const ms = s ? Date.parse(s) : NaN;
  return Number.isFinite(ms) && ms > 0 && ms < 253402300800000 ? new Date(ms).toISOString() : fallback.toISOString();
}
