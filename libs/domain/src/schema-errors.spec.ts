import { describe, expect, it } from '@jest/globals';
import { schemaFieldErrors } from './schema-errors.js';

describe('schemaFieldErrors', () => {
  it('turns JSON Pointer paths into dotted field paths and names missing properties', () => {
    expect(
      schemaFieldErrors([
        { keyword: 'type', instancePath: '/items/0/qty', params: { type: 'integer' }, message: 'must be integer' },
        { keyword: 'required', instancePath: '', params: { missingProperty: 'order_id' }, message: "must have required property 'order_id'" },
        { keyword: 'required', instancePath: '/customer', params: { missingProperty: 'email' } },
      ]),
    ).toEqual([
      { path: 'data.items.0.qty', message: 'must be integer' },
      { path: 'data.order_id', message: "must have required property 'order_id'" },
      { path: 'data.customer.email', message: 'does not match the schema' },
    ]);
  });

  it('is empty when there is nothing to report', () => {
    expect(schemaFieldErrors(null)).toEqual([]);
  });
});
