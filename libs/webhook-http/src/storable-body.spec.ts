import { describe, expect, it } from '@jest/globals';
import { RESPONSE_BODY_LIMIT, storableBody } from './http-sender.js';

describe('storableBody', () => {
  it('keeps a short body as it is', () => {
    expect(storableBody(Buffer.from('{"ok":true}'))).toBe('{"ok":true}');
  });

  it('keeps the first 4 KiB of a long one', () => {
    const text = storableBody(Buffer.from('x'.repeat(RESPONSE_BODY_LIMIT * 3)));
    expect(text).toHaveLength(RESPONSE_BODY_LIMIT);
  });

  it('never splits a UTF-8 character at the limit, so the text re-encodes within it', () => {
    // 4095 ASCII bytes, then a 3-byte character straddling the limit.
    const body = Buffer.concat([Buffer.from('a'.repeat(RESPONSE_BODY_LIMIT - 1)), Buffer.from('€€')]);
    const text = storableBody(body);
    expect(text).toBe('a'.repeat(RESPONSE_BODY_LIMIT - 1));
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(RESPONSE_BODY_LIMIT);
    const fits = Buffer.concat([Buffer.from('a'.repeat(RESPONSE_BODY_LIMIT - 3)), Buffer.from('€€')]);
    expect(storableBody(fits)).toBe(`${'a'.repeat(RESPONSE_BODY_LIMIT - 3)}€`);
  });

  it('drops NUL characters, which Postgres text refuses', () => {
    expect(storableBody(Buffer.from([0x6f, 0x00, 0x6b]))).toBe('ok');
  });
});
