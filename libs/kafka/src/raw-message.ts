import type { KafkaMessage, Message } from 'kafkajs';

/**
 * A message as bytes, untouched: what a `schema: 'raw'` consumer receives and what
 * KafkaProducer.sendRaw produces (a quarantine keeps the original, a re-drive puts it back).
 */
export interface RawMessage {
  key: Buffer | null;
  value: Buffer | null;
  headers: Array<[string, Buffer]>;
}

/** A message's headers as [name, bytes] pairs: a name sent more than once keeps each value, in order. */
export function rawHeaders(m: Pick<KafkaMessage, 'headers'>): Array<[string, Buffer]> {
  const out: Array<[string, Buffer]> = [];
  for (const [k, v] of Object.entries(m.headers ?? {})) {
    for (const one of Array.isArray(v) ? v : [v]) if (one !== undefined) out.push([k, Buffer.isBuffer(one) ? one : Buffer.from(one)]);
  }
  return out;
}

/** A raw message as the client takes it; a header name given more than once keeps every value, in order. */
export function clientMessage(m: RawMessage): Message {
  const headers: Record<string, Buffer[]> = {};
  for (const [name, value] of m.headers) (headers[name] ??= []).push(value);
  return { key: m.key, value: m.value, headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.length === 1 ? v[0] : v])) };
}
