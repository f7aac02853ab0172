import { describe, expect, it } from '@jest/globals';
import { parseJsonObject } from './json-input.ts';

describe('parseJsonObject', () => {
  it('takes an object and refuses everything else, saying why', () => {
    expect(parseJsonObject('{"a": [1, {"b": null}]}')).toEqual({ ok: true, value: { a: [1, { b: null }] } });
    for (const text of ['[1]', '"x"', 'null', '42', '{', '', '{"a":1}}']) expect({ text, ok: parseJsonObject(text).ok }).toEqual({ text, ok: false });
    expect(parseJsonObject(`{"s":"${'x'.repeat(300 * 1024)}"}`)).toEqual({ ok: false, message: 'at most 256 KiB here' });
  });
});
