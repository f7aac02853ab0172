import { randomUUID } from 'node:crypto';
import type { DeadLetterMessage, ErrorClass } from '@hookstream/contracts';
import { deliveryId } from '@hookstream/domain';
import { type TestStack, waitFor } from '@hookstream/testing';

export interface LetterSpec {
  tenantId: string;
  subscriptionId: string;
  eventId?: string;
  eventType?: string;
  deadAt?: Date;
  statusCode?: number | null;
  errorClass?: ErrorClass;
  generation?: number;
  attempts?: number;
}

/** A `hookstream.dlq` message as the dispatcher writes one, with a receiver body. */
export function deadLetter(spec: LetterSpec): DeadLetterMessage {
  const eventId = spec.eventId ?? `evt_${randomUUID()}`;
  const type = spec.eventType ?? 'order.placed';
  const statusCode = spec.statusCode === undefined ? 500 : spec.statusCode;
  const attempts = spec.attempts ?? 3;
  return {
    delivery: {
      delivery_id: deliveryId(spec.tenantId, eventId, spec.subscriptionId),
      tenant_id: spec.tenantId,
      subscription_id: spec.subscriptionId,
      event_id: eventId,
      event_type: type,
      attempt: attempts,
      generation: spec.generation ?? 0,
      body: JSON.stringify({ id: eventId, type, timestamp: '2026-11-22T10:00:00.000Z', data: { n: eventId } }),
      origin: 'retry',
      first_attempt_at: '2026-11-22T10:00:00.000Z',
    },
    reason: statusCode === null ? `all ${attempts} attempts failed; last: ${spec.errorClass ?? 'timeout'}` : `all ${attempts} attempts failed; last: endpoint answered ${statusCode}`,
    failure: { error_class: spec.errorClass ?? 'http_status', status_code: statusCode, message: statusCode === null ? 'no answer' : `endpoint answered ${statusCode}` },
    attempts,
    dead_at: (spec.deadAt ?? new Date()).toISOString(),
  };
}

/**
 * Produces letters to the stack's hookstream.dlq as the dispatcher would, 500 to a request (one
 * subscription's letters share a partition, and a batch must stay under the broker's 1 MB).
 */
export async function produceDeadLetters(stack: TestStack, letters: readonly DeadLetterMessage[], raw: string[] = []): Promise<void> {
  const producer = stack.kafka.producer();
  await producer.connect();
  try {
    for (let i = 0; i < letters.length; i += 500) {
      await producer.send({
        topic: `${stack.topicPrefix}hookstream.dlq`,
        messages: [
          ...(i === 0 ? raw.map((value) => ({ key: 'junk', value })) : []),
          ...letters.slice(i, i + 500).map((l) => ({ key: l.delivery.subscription_id, value: JSON.stringify(l), headers: { 'hs-schema-version': '1' } })),
        ],
      });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Waits until the dlq-inspector has stored every one of these letters at its latest death. */
export async function waitForStored(stack: TestStack, letters: readonly DeadLetterMessage[], timeoutMs = 30_000): Promise<void> {
  const ids = letters.map((l) => l.delivery.delivery_id);
  const latest = Math.max(...letters.map((l) => Date.parse(l.dead_at)));
  await waitFor(
    async () => {
      const rows = await stack.query<{ n: string; latest: Date | null }>('SELECT count(*) AS n, max(dead_at) AS latest FROM dead_letters WHERE delivery_id = ANY($1::uuid[])', [ids]);
      const row = rows[0];
      return Number(row?.n) === new Set(ids).size && row?.latest && new Date(row.latest).getTime() >= latest;
    },
    timeoutMs,
    `${ids.length} dead letters stored`,
  );
}

/** A subscription row, written as the registry would (these tests run the dlq-inspector alone). */
export async function seedSubscription(stack: TestStack, tenantId: string, opts: { enabled?: boolean; disabledReason?: string | null } = {}): Promise<string> {
  const id = randomUUID();
  const enabled = opts.enabled ?? true;
  await stack.query(
    `INSERT INTO subscriptions (id, tenant_id, url, event_types, enabled, disabled_reason) VALUES ($1, $2, 'https://hooks.partner.example/in', '{*}', $3, $4)`,
    [id, tenantId, enabled, enabled ? null : (opts.disabledReason ?? 'manual')],
  );
  return id;
}
