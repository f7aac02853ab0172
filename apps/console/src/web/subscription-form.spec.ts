import { describe, expect, it } from '@jest/globals';
import { checkSubscriptionForm, eventTypesOf, formFieldsOf } from './subscription-form.ts';

describe('the subscription form', () => {
  it('reads event types however they were typed, once each', () => {
    expect(eventTypesOf(' order.*, order.placed\ninvoice.paid  order.* ')).toEqual(['order.*', 'order.placed', 'invoice.paid']);
    expect(eventTypesOf(' , \n ')).toEqual([]);
  });

  it('builds the API body, empty names as null', () => {
    expect(checkSubscriptionForm({ url: ' https://hooks.example.com/in ', name: '', description: ' ', eventTypes: 'order.*' })).toEqual({
      ok: true,
      body: { url: 'https://hooks.example.com/in', name: null, description: null, event_types: ['order.*'] },
    });
  });

  it('names each field it refuses, and leaves URL rules to the API', () => {
    expect(checkSubscriptionForm({ url: '', name: 'x'.repeat(201), description: 'y'.repeat(1001), eventTypes: '' })).toEqual({
      ok: false,
      fields: { url: expect.any(String), event_types: expect.any(String), name: expect.any(String), description: expect.any(String) },
    });
    expect(checkSubscriptionForm({ url: 'http://127.0.0.1/private', name: '', description: '', eventTypes: Array.from({ length: 101 }, (_, i) => `t${String(i)}`).join(',') })).toEqual({ ok: false, fields: { event_types: 'at most 100 event types' } });
    expect(checkSubscriptionForm({ url: 'http://127.0.0.1/private', name: '', description: '', eventTypes: '*' }).ok).toBe(true);
  });

  it('puts the API\'s field paths on the form\'s fields', () => {
    expect(formFieldsOf({ url: 'must be https', 'event_types.2': 'not an event type pattern', 'event_types.5': 'later' })).toEqual({ url: 'must be https', event_types: 'not an event type pattern' });
    expect(formFieldsOf(undefined)).toEqual({});
  });
});
