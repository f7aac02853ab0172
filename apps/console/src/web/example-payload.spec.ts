import { describe, expect, it } from '@jest/globals';
import { exampleFromSchema } from './example-payload.ts';

describe('exampleFromSchema', () => {
  it('prefers what the schema says, then builds a value of each declared type', () => {
    expect(
      exampleFromSchema({
        type: 'object',
        properties: {
          order_id: { type: 'string', examples: ['ord_123'] },
          amount: { type: 'integer', minimum: 1 },
          currency: { enum: ['ZAR', 'USD'] },
          placed_at: { type: 'string', format: 'date-time' },
          lines: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' }, qty: { type: 'number' } } } },
          note: { type: ['string', 'null'] },
          gift: { type: 'boolean', default: false },
          kind: { const: 'retail' },
          via: { anyOf: [{ type: 'string', format: 'email' }, { type: 'null' }] },
        },
      }),
    ).toEqual({ order_id: 'ord_123', amount: 1, currency: 'ZAR', placed_at: '2026-12-07T10:00:00Z', lines: [{ sku: 'text', qty: 1.5 }], note: 'text', gift: false, kind: 'retail', via: 'someone@example.com' });
  });

  it('stays bounded on a hostile schema: deep nesting, thousands of properties, garbage', () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 5000; i++) deep = { type: 'object', properties: { a: deep } };
    expect(JSON.stringify(exampleFromSchema(deep)).length).toBeLessThan(200);
    const wide = { type: 'object', properties: Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`p${String(i)}`, { type: 'integer' }])) };
    expect(Object.keys(exampleFromSchema(wide) as object)).toHaveLength(50);
    for (const junk of [null, 42, 'schema', [], { type: 'weird' }, { oneOf: [] }]) expect(exampleFromSchema(junk)).toBeNull();
  });
});
