import { describe, expect, it } from '@jest/globals';
import { eventEnvelopeSchema, parseWith } from './envelope.js';
import { unstorableTextAt } from './storable.js';

describe('unstorableTextAt', () => {
  it('finds U+0000 and unpaired surrogates in values and keys, and passes paired ones', () => {
    expect(unstorableTextAt({ a: [1, 'ok', { b: 'x\u0000y' }] })).toEqual(['a', 2, 'b']);
    expect(unstorableTextAt({ 'k\u0000': 1 })).toEqual(['k\u0000']);
    expect(unstorableTextAt({ s: 'lone \ud800 high' })).toEqual(['s']);
    expect(unstorableTextAt({ s: 'lone \udc00 low' })).toEqual(['s']);
    expect(unstorableTextAt({ s: 'pair 😀 fine', n: null, t: true })).toBeNull();
  });

  it('makes the envelope refuse such data, naming the field', () => {
    const envelope = { id: 'evt_1', type: 'a.b', tenant_id: 'acme', occurred_at: '2026-11-22T10:00:00Z', data: { note: 'a\u0000b' } };
    expect(parseWith(eventEnvelopeSchema, envelope)).toEqual({ ok: false, errors: [{ path: 'data.note', message: 'text must not contain U+0000 or unpaired surrogates' }] });
    expect(parseWith(eventEnvelopeSchema, { ...envelope, data: { note: 'ab' } }).ok).toBe(true);
  });
});
