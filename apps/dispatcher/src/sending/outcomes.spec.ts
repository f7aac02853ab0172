import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { DeliveryMessage } from '@hookstream/contracts';
import { Metrics } from '@hookstream/platform';
import { subscriptionSnapshot } from '@hookstream/testing';
import { dispatcherConfigSchema } from '../config.js';
import { OutcomePlanner } from './outcomes.js';

const config = dispatcherConfigSchema.parse({ CHANGELOG_SECRETS_KEYS: `c1:${Buffer.alloc(32, 7).toString('base64')}`, PORT: '0' });
const planner = new OutcomePlanner(config, new Metrics());
// An age limit of one hour.
const sub = subscriptionSnapshot('acme', 'https://hooks.example/in', { retry_policy: { kind: 'schedule', delays_seconds: [60, 600], max_age_seconds: 3600 } });
const batch = { id: randomUUID(), size: 2 };

function member(firstAttemptAt: Date): DeliveryMessage {
  return {
    delivery_id: randomUUID(),
    tenant_id: 'acme',
    subscription_id: sub.id,
    event_id: `evt_${randomUUID()}`,
    event_type: 'order.placed',
    attempt: 2,
    generation: 0,
    body: '{}',
    origin: 'retry',
    first_attempt_at: firstAttemptAt.toISOString(),
    batch,
  };
}

describe('OutcomePlanner.postponedAll', () => {
  const now = Date.now();
  // The older member is 50 minutes old, the newer 5: a postponement of 20 minutes outlives the
  // older one's age limit only.
  const older = member(new Date(now - 50 * 60_000));
  const newer = member(new Date(now - 5 * 60_000));

  it("dead-letters a whole batch once its oldest member's age limit would pass, never splitting it", () => {
    const outcomes = planner.postponedAll([newer, older], sub, 'breaker_open', new Date(now + 20 * 60_000));
    expect(outcomes.map((o) => o.dead?.reason.startsWith('breaker_open_expired'))).toEqual([true, true]);
    expect(outcomes.every((o) => o.retry === undefined)).toBe(true);
  });

  it('postpones the whole batch together, keeping its id, while the oldest member is within its limit', () => {
    const outcomes = planner.postponedAll([newer, older], sub, 'breaker_open', new Date(now + 60_000));
    expect(outcomes.map((o) => o.retry?.delivery.batch)).toEqual([batch, batch]);
    expect(outcomes.map((o) => o.retry?.due_at)).toEqual([new Date(now + 60_000).toISOString(), new Date(now + 60_000).toISOString()]);
    expect(outcomes.every((o) => o.dead === undefined)).toBe(true);
  });
});
