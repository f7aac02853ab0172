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
    // The retry scheduler dead-letters it should it come due late: at the oldest member's limit.
    const limit = new Date(Date.parse(older.first_attempt_at) + 3600_000).toISOString();
    expect(outcomes.map((o) => o.retry?.expires_at)).toEqual([limit, limit]);
  });

  it("judges a member that comes back apart from its batch by the batch's age limit, not its own", () => {
    // Its own limit is 55 minutes away; the batch's (its older member's) 10.
    const apart = { ...newer, batch: { ...batch, expires_at: new Date(now + 10 * 60_000).toISOString() } };
    const [late] = planner.postponedAll([apart], sub, 'breaker_open', new Date(now + 20 * 60_000));
    expect(late?.dead?.reason).toMatch(/^breaker_open_expired/);
    const [soon] = planner.postponedAll([apart], sub, 'breaker_open', new Date(now + 5 * 60_000));
    expect(soon?.retry?.expires_at).toBe(apart.batch.expires_at);
  });
});

describe('OutcomePlanner.concludedAll', () => {
  const now = Date.now();
  const older = member(new Date(now - 50 * 60_000));
  const newer = member(new Date(now - 5 * 60_000));
  const refused = { kind: 'response' as const, statusCode: 503, headers: {}, durationMs: 3, responseBody: 'down' };

  it("gives a failed batch's retries the batch's age limit, on every member", () => {
    const fresh = [newer, older].map((m) => ({ ...m, attempt: 1, batch: null }));
    const outcomes = planner.concludedAll(fresh, sub, new Date(), refused, {}, batch);
    const limit = new Date(Date.parse(older.first_attempt_at) + 3600_000).toISOString();
    expect(outcomes.map((o) => o.retry?.delivery.batch)).toEqual([{ ...batch, expires_at: limit }, { ...batch, expires_at: limit }]);
    expect(outcomes.map((o) => o.retry?.expires_at)).toEqual([limit, limit]);
  });
});

describe('OutcomePlanner.fairShareDeferred', () => {
  it('comes back through the retry-scheduler without an attempt row or a status message, its reason in the last error', () => {
    const msg = { ...member(new Date()), attempt: 1, origin: 'fanout' as const };
    const until = new Date(Date.now() + 5000);
    const outcome = planner.fairShareDeferred(msg, sub, until);
    expect(outcome.attempt).toBeNull();
    expect(outcome.quiet).toBe(true);
    expect(outcome.retry).toMatchObject({ due_at: until.toISOString(), delivery: { delivery_id: msg.delivery_id, attempt: 1, origin: 'throttle' }, failure: { error_class: 'throttled' } });
    // No attempt spent, nothing dead: only the last error moves.
    expect(outcome.update).toMatchObject({ id: msg.delivery_id, status: null, attempts: 0 });
    expect(outcome.update.last_error).toContain("its tenant's fair share of the dispatcher");
    expect(outcome.dead).toBeUndefined();
  });
});
