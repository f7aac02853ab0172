import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { isDroppedField, MASK, maskUrl, REDACTED, redactRecord, scrubText } from './redaction.js';
import { createLogger } from './logger.js';

const HMAC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ED = 'whsk_9g0nBtYbKXv1nQ1P8pZk2w6oT0mW3k1lq5b8w3xO9aE=';
const API_KEY = 'hsk_6b3f1c0e2d_Zm9vYmFyYmF6cXV4cXV1eA';

/** A TypeORM QueryFailedError as it arrives: the bound values, the SQL and pg's own fields. */
function queryFailed(): Error {
  const driverError = Object.assign(new Error('invalid input syntax for type uuid: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"'), {
    severity: 'ERROR', code: '22P02', routine: 'string_to_uuid', detail: `Key (secret)=(${HMAC}) already exists.`, where: `unnamed portal parameter $2 = '${HMAC}'`,
  });
  const err = Object.assign(new Error(driverError.message), {
    query: `INSERT INTO subscription_secrets (id, secret) VALUES ($1, '${HMAC}')`,
    parameters: ['a1', HMAC],
    driverError,
    code: '22P02',
    table: 'subscription_secrets',
    constraint: 'subscription_secrets_pkey',
  });
  err.name = 'QueryFailedError';
  return err;
}

function text(v: unknown): string {
  return JSON.stringify(v);
}

describe('maskUrl', () => {
  it.each([
    ['https://h.example/x?token=abc', `https://h.example/x?token=${MASK}`],
    ['https://h.example/x?token=abc&sig=def#frag', `https://h.example/x?token=${MASK}&sig=${MASK}`],
    ['https://user:pass@h.example:8443/p/q', `https://${MASK}@h.example:8443/p/q`],
    ['https://h.example/x', 'https://h.example/x'],
    ['http://127.0.0.1:3000/hook?', 'http://127.0.0.1:3000/hook'],
    ['https://h.example/x?opaque', `https://h.example/x?opaque=${MASK}`],
    ['not a url?token=abc', `not a url?${MASK}`],
    ['plain', 'plain'],
  ])('%s', (raw, masked) => {
    expect(maskUrl(raw)).toBe(masked);
  });
});

describe('scrubText', () => {
  it('masks known secret and key tokens anywhere in text, keeping the prefix', () => {
    const out = scrubText(`rotated to ${HMAC}, old ${ED} with key ${API_KEY}.`);
    expect(out).toBe(`rotated to whsec_${MASK}, old whsk_${MASK} with key hsk_${MASK}.`);
  });

  it('masks the query string and userinfo of every URL inside text', () => {
    expect(scrubText('POST https://a:b@h.example/x?token=canary failed: "timeout"')).toBe(`POST https://${MASK}@h.example/x?token=${MASK} failed: "timeout"`);
  });

  it('leaves text without secrets or URLs alone', () => {
    expect(scrubText('subscription index caught up')).toBe('subscription index caught up');
  });
});

describe('isDroppedField', () => {
  it.each(['payload', 'data', 'body', 'raw_body', 'rawBody', 'secret', 'secrets', 'api_key', 'apiKey', 'x-api-key', 'authorization', 'Authorization', 'parameters', 'query', 'detail', 'password', 'cookie', 'token'])(
    'drops %s',
    (name) => expect(isDroppedField(name)).toBe(true),
  );
  it.each(['delivery', 'event', 'subscription', 'tenant', 'url', 'err', 'code', 'key_id', 'keyId', 'job'])('keeps %s', (name) => expect(isDroppedField(name)).toBe(false));
});

describe('redactRecord', () => {
  it('drops payload, body and credential fields at any depth, keeping ids', () => {
    const out = redactRecord({
      delivery: 'dlv_1',
      payload: { card: '4242' },
      event: { id: 'evt_1', data: { ssn: 'canary' } },
      request: { body: '{"x":1}', raw_body: 'raw', api_key: API_KEY, secret: HMAC, secrets: [HMAC] },
      authorization: `Bearer ${API_KEY}`,
    });
    expect(out).toEqual({
      delivery: 'dlv_1',
      payload: REDACTED,
      event: { id: 'evt_1', data: REDACTED },
      request: { body: REDACTED, raw_body: REDACTED, api_key: REDACTED, secret: REDACTED, secrets: REDACTED },
      authorization: REDACTED,
    });
  });

  it('keeps null and undefined dropped fields as they are (absence is not a secret)', () => {
    expect(redactRecord({ payload: null, body: undefined })).toEqual({ payload: null, body: undefined });
  });

  it('masks header values that carry credentials or signatures, keeping the names', () => {
    const out = redactRecord({ headers: { 'webhook-signature': 'v1,abc', 'x-hub-signature-256': 'sha256=1', authorization: 'Bearer x', 'x-api-key': API_KEY, 'content-type': 'application/json' } });
    expect(out).toEqual({ headers: { 'webhook-signature': REDACTED, 'x-hub-signature-256': REDACTED, authorization: REDACTED, 'x-api-key': REDACTED, 'content-type': 'application/json' } });
  });

  it('masks the query string of URL fields and of URLs inside any string', () => {
    const out = redactRecord({ url: 'https://h.example/x?token=canary', endpoint: { targetUrl: 'https://u:p@h.example/y?k=v' }, reason: 'sent to https://h.example/z?token=canary' });
    expect(out).toEqual({ url: `https://h.example/x?token=${MASK}`, endpoint: { targetUrl: `https://${MASK}@h.example/y?k=${MASK}` }, reason: `sent to https://h.example/z?token=${MASK}` });
    expect(text(out)).not.toContain('canary');
  });

  it('masks URL objects', () => {
    expect(redactRecord({ target: new URL('https://h.example/x?token=canary') })).toEqual({ target: `https://h.example/x?token=${MASK}` });
  });

  it('masks secret tokens in any string value', () => {
    expect(redactRecord({ note: `got ${HMAC}`, list: [`k ${API_KEY}`] })).toEqual({ note: `got whsec_${MASK}`, list: [`k hsk_${MASK}`] });
  });

  it('turns a database error into type, message, code, table and constraint without parameters, query, detail or quoted values', () => {
    const out = redactRecord({ err: queryFailed() });
    const err = out['err'] as Record<string, unknown>;
    expect(err).toMatchObject({ type: 'Error', code: '22P02', table: 'subscription_secrets', constraint: 'subscription_secrets_pkey', parameters: REDACTED, query: REDACTED });
    expect(err['message']).toBe(`invalid input syntax for type uuid: "${MASK}"`);
    expect(err['driverError']).toMatchObject({ code: '22P02', routine: 'string_to_uuid', detail: REDACTED, where: REDACTED });
    expect(String(err['stack'])).toContain(`uuid: "${MASK}"`);
    expect(text(out)).not.toContain('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
  });

  it('masks quoted values in a bare pg error (no TypeORM wrapper) but keeps quoted names elsewhere', () => {
    const pg = Object.assign(new Error('invalid input value for enum scheme: "canary"'), { severity: 'ERROR', code: '22P02', routine: 'enum_in', file: 'enum.c' });
    const out = redactRecord({ err: pg, note: 'constraint "subscriptions_pkey"' });
    expect((out['err'] as Record<string, unknown>)['message']).toBe(`invalid input value for enum scheme: "${MASK}"`);
    expect(out['note']).toBe('constraint "subscriptions_pkey"');
  });

  it('masks pg-quoted values in error messages that call sites log as strings', () => {
    expect(redactRecord({ err: 'invalid input syntax for type uuid: "canary"', reason: 'x: "canary"', note: 'y: "kept"' })).toEqual({
      err: `invalid input syntax for type uuid: "${MASK}"`,
      reason: `x: "${MASK}"`,
      note: 'y: "kept"',
    });
  });

  it('keeps an ordinary error readable, with its cause, and drops HTTP clients\' request objects', () => {
    const cause = new Error('connect ECONNREFUSED 127.0.0.1:9');
    const err = Object.assign(new Error('send failed for https://h.example/x?token=canary', { cause }), {
      code: 'ECONNREFUSED',
      options: { headers: { authorization: 'x' }, body: 'canary' },
      response: { body: 'canary' },
      details: { retry_after_seconds: 3 },
    });
    const out = redactRecord({ err });
    expect(out['err']).toMatchObject({
      type: 'Error',
      message: `send failed for https://h.example/x?token=${MASK}`,
      code: 'ECONNREFUSED',
      details: { retry_after_seconds: 3 },
      cause: { type: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:9' },
    });
    expect(text(out)).not.toContain('canary');
    expect(out['err']).not.toHaveProperty('options');
    expect(out['err']).not.toHaveProperty('response');
  });

  it('survives cycles, deep nesting, buffers and long arrays', () => {
    const cyclic: Record<string, unknown> = { id: 'a' };
    cyclic['self'] = cyclic;
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 20; i++) deep = { next: deep };
    const out = redactRecord({ cyclic, deep, buf: Buffer.from(HMAC), many: Array.from({ length: 500 }, (_, i) => i) });
    expect(out['cyclic']).toEqual({ id: 'a', self: '[circular]' });
    expect(text(out['deep'])).toContain('[truncated]');
    expect(out['buf']).toBe(REDACTED);
    expect(out['many']).toHaveLength(50);
  });

  it('keeps the same object seen twice (not a cycle) in full', () => {
    const shared = { id: 'x' };
    expect(redactRecord({ a: shared, b: shared })).toEqual({ a: { id: 'x' }, b: { id: 'x' } });
  });

  it('never throws: a field whose getter throws is replaced', () => {
    const hostile = {};
    Object.defineProperty(hostile, 'boom', { enumerable: true, get: () => { throw new Error('no'); } });
    expect(redactRecord({ hostile, ok: 1 })).toEqual({ hostile: '[unserialisable]', ok: 1 });
  });

  it('leaves numbers, booleans and dates alone', () => {
    const at = new Date(0);
    expect(redactRecord({ n: 1, b: false, at, none: null })).toEqual({ n: 1, b: false, at, none: null });
  });
});

describe('createLogger writes redacted lines', () => {
  function capture(): { lines: string[]; logger: ReturnType<typeof createLogger> } {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        cb();
      },
    });
    return { lines, logger: createLogger('test', 'info', stream) };
  }

  it('through every entry point: fields, errors as first argument, and messages', () => {
    const { lines, logger } = capture();
    logger.error({ err: queryFailed(), url: 'https://h.example/x?token=canary', payload: { v: 'canary' } }, 'insert failed');
    logger.error(queryFailed());
    logger.warn(`delivery to https://h.example/x?token=canary failed with ${HMAC}`);
    logger.info({ headers: { 'webhook-signature': 'v1,canary' } }, 'sent %s', `key ${API_KEY}`);
    logger.child({ endpoint: 'https://h.example/x?token=canary', secret: HMAC }).info('child bindings');
    logger.child({ component: 'a' }).child({ body: 'canary' }).info('grandchild bindings');
    expect(lines).toHaveLength(6);
    expect(JSON.parse(lines[5] ?? '{}')).toMatchObject({ service: 'test', component: 'a', body: REDACTED, msg: 'grandchild bindings' });
    expect(JSON.parse(lines[4] ?? '{}')).toMatchObject({ service: 'test', endpoint: `https://h.example/x?token=${MASK}`, secret: REDACTED });
    const all = lines.join('\n');
    for (const leak of ['canary', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'Zm9vYmFyYmF6cXV4cXV1eA']) expect(all).not.toContain(leak);
    expect(JSON.parse(lines[1] ?? '{}')).toMatchObject({ msg: `invalid input syntax for type uuid: "${MASK}"`, err: { parameters: REDACTED } });
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ service: 'test', msg: 'insert failed', url: `https://h.example/x?token=${MASK}`, payload: REDACTED, err: { code: '22P02', parameters: REDACTED } });
  });
});
