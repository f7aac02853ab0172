import { describe, expect, it } from '@jest/globals';
import { stampEvent } from './envelope.js';
import { EventIdGenerator } from './ids.js';

const ids = () => new EventIdGenerator((n) => new Uint8Array(n).fill(3), () => 1_800_000_000_000);
const now = new Date('2026-11-23T10:00:00.000Z');

describe('stampEvent', () => {
  it('stamps a sortable id and occurred_at, and sets the tenant', () => {
    const r = stampEvent({ type: 'order.placed', data: { order_id: 'ord_1' } }, 'acme', ids(), now, 1024);
    expect(r).toEqual({
      ok: true,
      event: {
        envelope: { id: expect.stringMatching(/^evt_[0-9A-Z]{26}$/) as unknown, type: 'order.placed', tenant_id: 'acme', occurred_at: '2026-11-23T10:00:00.000Z', data: { order_id: 'ord_1' } },
        traceparent: null,
      },
    });
  });

  it('keeps a caller-given id, time (Date or string) and traceparent', () => {
    const tp = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const r = stampEvent({ type: 'order.placed', data: {}, id: 'order-42-placed', occurred_at: new Date('2026-01-01T00:00:00Z'), traceparent: tp }, 'acme', ids(), now, 1024);
    expect(r.ok && r.event).toMatchObject({ envelope: { id: 'order-42-placed', occurred_at: '2026-01-01T00:00:00.000Z' }, traceparent: tp });
    const s = stampEvent({ type: 'order.placed', data: {}, occurred_at: '2026-01-01T00:00:00+02:00' }, 'acme', ids(), now, 1024);
    expect(s.ok && s.event.envelope.occurred_at).toBe('2026-01-01T00:00:00+02:00');
  });

  it('names each failing field, as the gateway would', () => {
    const r = stampEvent({ type: 'Order Placed', data: {}, id: 'has space', occurred_at: 'yesterday' }, 'acme', ids(), now, 1024);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.map((e) => e.path).sort()).toEqual(['id', 'occurred_at', 'type']);
  });

  it('carries an ordering key, and refuses one the gateway would', () => {
    const r = stampEvent({ type: 'order.updated', data: {}, ordering_key: 'ord_1' }, 'acme', ids(), now, 1024);
    expect(r.ok && r.event.envelope.ordering_key).toBe('ord_1');
    const bad = stampEvent({ type: 'order.updated', data: {}, ordering_key: 'ord 1' }, 'acme', ids(), now, 1024);
    expect(!bad.ok && bad.errors.map((e) => e.path)).toEqual(['ordering_key']);
  });

  it('refuses an event over the size limit before sending it', () => {
    const r = stampEvent({ type: 'order.placed', data: { blob: 'x'.repeat(2000) } }, 'acme', ids(), now, 1024);
    expect(r).toEqual({ ok: false, errors: [{ path: 'data', message: expect.stringContaining('the limit is 1024') as unknown }] });
  });
});
