import { describe, expect, it } from '@jest/globals';
import { SchemaCompiler } from './schema-compiler.js';
import { checkSchema } from './schema-limits.js';

const compiler = (maxEntries = 10) => new SchemaCompiler({ maxEntries, maxCompileMs: 60_000 });

function compiledOrThrow(c: SchemaCompiler, schema: Record<string, unknown>) {
  const r = c.compile(schema);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.schema;
}

describe('SchemaCompiler', () => {
  it('runs patterns on RE2: the catastrophic-backtracking pattern answers and refuses the data', () => {
    const s = compiledOrThrow(compiler(), { type: 'object', properties: { s: { type: 'string', pattern: '^(a+)+$' } } });
    expect(s.validate({ s: `${'a'.repeat(30)}!` })).toEqual([{ path: 'data.s', message: 'must match pattern "^(a+)+$"' }]);
    expect(s.validate({ s: 'aaaa' })).toEqual([]);
  });

  it('refuses backreferences and lookaround at compile, naming the schema path', () => {
    const r = compiler().compile({ properties: { a: { pattern: '(x)\\1' }, b: { patternProperties: { '^(?=y)': {} } } } });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.map((e) => e.path)).toEqual(['schema.properties.a.pattern', 'schema.properties.b.patternProperties.^(?=y)']);
  });

  it('gives every schema its own namespace: the same $id twice compiles both times', () => {
    const c = compiler();
    const a = compiledOrThrow(c, { $id: 'https://example.com/order', type: 'object', required: ['a'] });
    const b = compiledOrThrow(c, { $id: 'https://example.com/order', type: 'object', required: ['b'], $defs: { x: { $id: 'inner', type: 'string' } } });
    const b2 = compiledOrThrow(c, { $id: 'https://example.com/order', type: 'object', required: ['b'], $defs: { x: { $id: 'inner', type: 'string' } } });
    expect(a.validate({ a: 1 })).toEqual([]);
    expect(b.validate({ a: 1 })).toEqual([{ path: 'data.b', message: "must have required property 'b'" }]);
    expect(b2.validate({ b: 1 })).toEqual([]);
  });

  it('never resolves a $ref against another schema it compiled', () => {
    const c = compiler();
    compiledOrThrow(c, { $id: 'https://tenant-a.example/secret', type: 'string' });
    const r = c.compile({ $ref: 'https://tenant-a.example/secret' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors[0]?.path).toBe('schema.$ref');
  });

  it('checks the formats it knows on RE2 and ignores unknown ones', () => {
    const s = compiledOrThrow(compiler(), {
      type: 'object',
      properties: { at: { format: 'date-time' }, day: { format: 'date' }, mail: { format: 'email' }, id: { format: 'uuid' }, x: { format: 'no-such-format' } },
    });
    expect(s.validate({ at: '2026-02-28T10:00:00Z', day: '2024-02-29', mail: 'a@b.example', id: '0190a3c8-3f6e-7cc1-8c1e-0b7a4a1e2f3d', x: 'anything' })).toEqual([]);
    expect(s.validate({ at: '2026-02-30T10:00:00Z', day: '2023-02-29', mail: 'nope', id: 'x' }).map((e) => e.path)).toEqual(['data.at', 'data.day', 'data.mail', 'data.id']);
  });

  it('finds duplicates in uniqueItems by value, object key order aside', () => {
    const s = compiledOrThrow(compiler(), { type: 'array', uniqueItems: true });
    expect(s.validate([{ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }])).toEqual([{ path: 'data', message: 'must NOT have duplicate items' }]);
    expect(s.validate([{ a: 1 }, { a: 2 }, 1, '1'])).toEqual([]);
  });

  it('refuses data whose size times the schema weight exceeds the budget, without running it', () => {
    const s = compiledOrThrow(compiler(), { type: 'array', items: { anyOf: Array.from({ length: 200 }, (_, i) => ({ const: i })) } });
    const errors = s.validate(Array.from({ length: 50_000 }, () => -1));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/too large to check/);
  });

  it('refuses strings whose pattern work exceeds the budget', () => {
    const s = compiledOrThrow(compiler(), { type: 'array', items: { type: 'string', pattern: '^[a-z]+$' } });
    expect(s.validate(['abc'])).toEqual([]);
    expect(s.validate(Array.from({ length: 40 }, () => 'a'.repeat(10_000)))[0]?.message).toMatch(/too many or too long strings/);
  });

  it('keeps at most maxEntries compiled schemas, dropping the least recently used', () => {
    const c = compiler(2);
    const schema = { type: 'string' };
    const first = c.get('a', schema);
    c.get('b', schema);
    expect(c.get('a', schema)).toBe(first);
    c.get('c', schema);
    expect(c.size).toBe(2);
    expect(c.get('a', schema)).toBe(first);
    expect(c.get('b', schema)).not.toBe(c.get('zz', schema));
  });
});

describe('checkSchema', () => {
  it('refuses schemas over the byte, depth and keyword limits with the path', () => {
    expect(checkSchema({ description: 'x'.repeat(70_000) })).toMatchObject({ ok: false, errors: [{ path: 'schema' }] });
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 40; i++) deep = { items: deep };
    const r = checkSchema(deep);
    expect(!r.ok && r.errors[0]?.message).toMatch(/deeper than 32/);
    expect(checkSchema({ enum: Array.from({ length: 6000 }, (_, i) => i) })).toMatchObject({ ok: false, errors: [{ path: 'schema' }] });
  });

  it('refuses remote, relative and cyclic $refs and accepts local ones', () => {
    expect(checkSchema({ $ref: 'https://evil.example/s.json' })).toMatchObject({ ok: false, errors: [{ path: 'schema.$ref' }] });
    expect(checkSchema({ properties: { a: { $ref: 'other.json#/x' } } })).toMatchObject({ ok: false, errors: [{ path: 'schema.properties.a.$ref' }] });
    expect(checkSchema({ $defs: { n: { items: { $ref: '#/$defs/n' } } }, $ref: '#/$defs/n' })).toMatchObject({ ok: false });
    expect(checkSchema({ $id: 'https://x.example/a', $defs: { n: { $anchor: 'n', type: 'string' } }, properties: { a: { $ref: '#/$defs/n' }, b: { $ref: '#n' }, c: { $ref: 'https://x.example/a#/$defs/n' } } })).toMatchObject({ ok: true });
  });

  it('weighs $refs expanded, so a doubling chain is refused', () => {
    const defs: Record<string, unknown> = { d0: { type: 'string' } };
    for (let i = 1; i <= 20; i++) defs[`d${i}`] = { anyOf: [{ $ref: `#/$defs/d${i - 1}` }, { $ref: `#/$defs/d${i - 1}` }] };
    const r = checkSchema({ $defs: defs, $ref: '#/$defs/d20' });
    expect(!r.ok && r.errors[0]?.message).toMatch(/with its \$refs expanded/);
  });
});
