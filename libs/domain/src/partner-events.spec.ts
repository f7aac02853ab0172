import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { describePartnerEvent, internalEventId, normaliseEventType } from './partner-events.js';
import type { CallbackRequest } from './partner-signatures.js';

const request = (body: string, headers: Record<string, string> = {}): CallbackRequest => {
  const lower = Object.fromEntries(Object.entries({ 'content-type': 'application/json', ...headers }).map(([k, v]) => [k.toLowerCase(), v]));
  return { body: Buffer.from(body), header: (name) => lower[name.toLowerCase()] };
};
const locate = { idHeader: null, idPath: 'id', typeHeader: null, typePath: 'type' };

describe('describePartnerEvent', () => {
  it('reads a Stripe event’s id, type and creation time', () => {
    const body = JSON.stringify({ id: 'evt_1', object: 'event', type: 'payment_intent.succeeded', created: 1_795_000_000, data: {} });
    expect(describePartnerEvent({ provider: 'stripe' }, request(body))).toEqual({
      ok: true,
      event: { providerEventId: 'evt_1', type: 'stripe.payment_intent.succeeded', occurredAt: '2026-11-18T11:06:40.000Z', payload: JSON.parse(body) as unknown },
    });
    expect(describePartnerEvent({ provider: 'stripe' }, request('{"object":"event"}'))).toMatchObject({ ok: false });
    expect(describePartnerEvent({ provider: 'stripe' }, request('{not json'))).toEqual({ ok: false, message: 'the body is not valid JSON' });
  });

  it('reads GitHub’s event, with the action when there is one, from JSON or a form post; the id is the signed body’s digest', () => {
    const headers = { 'X-GitHub-Delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958', 'X-GitHub-Event': 'pull_request' };
    const digest = `sha256:${createHash('sha256').update('{"action":"opened"}').digest('hex')}`;
    expect(describePartnerEvent({ provider: 'github' }, request('{"action":"opened"}', headers))).toMatchObject({ ok: true, event: { providerEventId: digest, type: 'github.pull_request.opened', occurredAt: null } });
    // A new delivery id (a replay, or GitHub's own redeliver) does not make it another event.
    expect(describePartnerEvent({ provider: 'github' }, request('{"action":"opened"}', { ...headers, 'X-GitHub-Delivery': 'another' }))).toMatchObject({ event: { providerEventId: digest } });
    expect(describePartnerEvent({ provider: 'github' }, request('{"ref":"main"}', { ...headers, 'X-GitHub-Event': 'push' }))).toMatchObject({ ok: true, event: { type: 'github.push' } });
    const form = request(`payload=${encodeURIComponent('{"action":"closed","number":2}')}`, { ...headers, 'content-type': 'application/x-www-form-urlencoded' });
    expect(describePartnerEvent({ provider: 'github' }, form)).toMatchObject({ ok: true, event: { type: 'github.pull_request.closed', payload: { action: 'closed', number: 2 } } });
    expect(describePartnerEvent({ provider: 'github' }, request('{}'))).toMatchObject({ ok: false });
  });

  it('makes one PayFast event per payment and status, with the ITN’s fields as the payload', () => {
    const itn = request('pf_payment_id=1089250&payment_status=COMPLETE&item_name=Jet+Ski&signature=abc', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(describePartnerEvent({ provider: 'payfast' }, itn)).toEqual({
      ok: true,
      event: { providerEventId: '1089250:complete', type: 'payfast.payment.complete', occurredAt: null, payload: { pf_payment_id: '1089250', payment_status: 'COMPLETE', item_name: 'Jet Ski', signature: 'abc' } },
    });
    expect(describePartnerEvent({ provider: 'payfast' }, request('payment_status=COMPLETE', { 'content-type': 'application/x-www-form-urlencoded' }))).toMatchObject({ ok: false });
  });

  it('reads a Standard Webhooks message id, type and timestamp', () => {
    const headers = { 'webhook-id': 'msg_2', 'webhook-timestamp': '1795000000' };
    expect(describePartnerEvent({ provider: 'standard-webhooks' }, request('{"type":"invoice.paid","timestamp":"2026-11-22T10:00:00Z","data":{}}', headers))).toMatchObject({
      ok: true,
      event: { providerEventId: 'msg_2', type: 'standard-webhooks.invoice.paid', occurredAt: '2026-11-22T10:00:00.000Z' },
    });
    // Without a type or timestamp in the payload: `received`, and the header's time.
    expect(describePartnerEvent({ provider: 'standard-webhooks' }, request('{"data":{}}', headers))).toMatchObject({ ok: true, event: { type: 'standard-webhooks.received', occurredAt: '2026-11-18T11:06:40.000Z' } });
  });

  it('finds a generic sender’s id and type by JSON path or header, else hashes the body and says `received`', () => {
    const body = '{"data":{"id":42},"kind":"orders/create"}';
    expect(describePartnerEvent({ provider: 'hmac', locate: { idHeader: null, idPath: 'data.id', typeHeader: null, typePath: 'kind' } }, request(body))).toMatchObject({
      ok: true,
      event: { providerEventId: '42', type: 'hmac.orders.create' },
    });
    expect(describePartnerEvent({ provider: 'hmac', locate: { idHeader: 'X-Event-Id', idPath: null, typeHeader: 'X-Topic', typePath: null } }, request(body, { 'X-Event-Id': 'e-9', 'X-Topic': 'Refund Created' }))).toMatchObject({
      ok: true,
      event: { providerEventId: 'e-9', type: 'hmac.refund_created' },
    });
    expect(describePartnerEvent({ provider: 'hmac', locate }, request(body))).toMatchObject({
      ok: true,
      event: { providerEventId: `sha256:${createHash('sha256').update(body).digest('hex')}`, type: 'hmac.received' },
    });
  });

  it('hashes a provider id that is huge or has control characters', () => {
    const huge = 'x'.repeat(500);
    const described = describePartnerEvent({ provider: 'hmac', locate: { ...locate, idHeader: 'X-Id', idPath: null } }, request('{}', { 'X-Id': huge }));
    expect(described).toMatchObject({ ok: true, event: { providerEventId: `sha256:${createHash('sha256').update(huge).digest('hex')}` } });
  });
});

describe('normaliseEventType', () => {
  it.each([
    ['stripe', 'payment_intent.succeeded', 'stripe.payment_intent.succeeded'],
    ['hmac', 'orders/create', 'hmac.orders.create'],
    ['hmac', 'Invoice Paid!', 'hmac.invoice_paid_'],
    ['hmac', '..a..b..', 'hmac.a.b'],
    ['hmac', '', 'hmac.received'],
    ['standard-webhooks', 'user:created', 'standard-webhooks.user.created'],
  ] as const)('%s %j → %s', (provider, raw, expected) => {
    expect(normaliseEventType(provider, raw)).toBe(expected);
  });

  it('always yields the envelope’s syntax, at most 128 characters', () => {
    const type = normaliseEventType('hmac', `${'segment.'.repeat(40)}end`);
    expect(type.length).toBeLessThanOrEqual(128);
    expect(type).toMatch(/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/);
  });
});

describe('internalEventId', () => {
  it('joins the integration and provider ids, hashing what would not fit the envelope', () => {
    expect(internalEventId('int_abc', 'evt_1')).toBe('int_abc:evt_1');
    expect(internalEventId('int_abc', 'has space')).toBe(`int_abc:sha256:${createHash('sha256').update('has space').digest('hex')}`);
    expect(internalEventId('int_abc', 'y'.repeat(200))).toMatch(/^int_abc:sha256:[0-9a-f]{64}$/);
  });
});
