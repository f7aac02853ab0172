/**
 * The adversarial table of tenant schemas and data, run by schema-worst-case.int-spec.ts in a
 * plain Node process (the way the services run; jest's module wrapper slows this code ~2×), on
 * the built @hookstream/domain. Prints one JSON report on stdout.
 */
import { SchemaCompiler } from '@hookstream/domain';

const MiB = 1024 * 1024;

interface Row {
  name: string;
  /** Cost set by the data's shape whatever the schema (V8 enumerating 40k keys); held to its JSON.parse time. */
  dataBound?: boolean;
  schema: Record<string, unknown>;
  data: () => unknown;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
/** An array of `n` copies of `item`, JSON-sized about `bytes` in all. */
const fill = (bytes: number, item: unknown) => Array.from({ length: Math.floor(bytes / (JSON.stringify(item).length + 1)) }, () => item);
const doublingRefs = (levels: number) => {
  const defs: Record<string, unknown> = { d0: { type: 'object', required: ['x'] } };
  for (const i of range(levels)) defs[`d${i + 1}`] = { anyOf: [{ $ref: `#/$defs/d${i}` }, { $ref: `#/$defs/d${i}` }] };
  return { $defs: defs, type: 'array', items: { $ref: `#/$defs/d${levels}` } };
};
let nested: Record<string, unknown> = { type: 'integer' };
for (let i = 0; i < 7; i++) nested = { anyOf: [{ type: 'string' }, { allOf: [nested, { not: { type: 'null' } }] }] };

const ROWS: Row[] = [
  { name: 'nested quantifier ^(a+)+$, 30 a + !', schema: { properties: { s: { pattern: '^(a+)+$' } } }, data: () => ({ s: `${'a'.repeat(30)}!` }) },
  { name: 'nested quantifier ^(a+)+$, 1 MiB of a + !', schema: { properties: { s: { pattern: '^(a+)+$' } } }, data: () => ({ s: `${'a'.repeat(MiB - 16)}!` }) },
  { name: 'nested quantifier, 3k-character string (inside the budget)', schema: { properties: { s: { pattern: '^(a|a)*$' } } }, data: () => ({ s: `${'a'.repeat(3_000)}!` }) },
  { name: '(\\w+\\s?)*$ over 16k words', schema: { properties: { s: { pattern: '^(\\w+\\s?)*$' } } }, data: () => ({ s: `${'word '.repeat(16_000)}!` }) },
  { name: 'largest pattern program on many strings', schema: { type: 'array', items: { pattern: '^[a-z]{1,490}[0-9]{1,490}$' } }, data: () => fill(MiB, 'b'.repeat(60)) },
  { name: 'pattern on 60k short strings', schema: { type: 'array', items: { type: 'string', pattern: '^ord_[0-9A-Z]{26}$' } }, data: () => fill(MiB, 'ord_01J0000000000000000000000A') },
  { name: 'format email on a 1 MiB string', schema: { properties: { e: { format: 'email' } } }, data: () => ({ e: `${'a'.repeat(MiB - 32)}@example.com` }) },
  { name: 'format date-time on 30k strings', schema: { type: 'array', items: { format: 'date-time' } }, data: () => fill(MiB, '2026-11-22T10:00:00.123Z') },
  { name: 'patternProperties, 12k keys (256 KiB)', schema: { patternProperties: { '^k[0-9]+$': { type: 'integer' }, '^x': { type: 'string' } } }, data: () => Object.fromEntries(range(12_000).map((i) => [`k${i}`, i])) },
  { name: 'propertyNames pattern, 12k keys (256 KiB)', schema: { propertyNames: { pattern: '^[a-z0-9]{1,20}$' } }, data: () => Object.fromEntries(range(12_000).map((i) => [`key${i}`, 1])) },
  { name: 'additionalProperties, 40k keys (1 MiB ceiling)', dataBound: true, schema: { additionalProperties: { type: 'integer' } }, data: () => Object.fromEntries(range(40_000).map((i) => [`k${i}`, i])) },
  { name: 'alternation blow-up: anyOf of 1,000 consts, 100k items', schema: { type: 'array', items: { anyOf: range(1000).map((i) => ({ const: i })) } }, data: () => fill(MiB, -1) },
  { name: 'anyOf of 200 object shapes, 2k items', schema: { type: 'array', items: { anyOf: range(200).map((i) => ({ type: 'object', required: [`f${i}`] })) } }, data: () => fill(40_000, { a: 1 }) },
  { name: 'huge enum (4,000 strings), 100k items', schema: { type: 'array', items: { enum: range(4000).map((i) => `value-${i}`) } }, data: () => fill(MiB, 'nope') },
  { name: 'huge enum (4,000 strings), 200 items', schema: { type: 'array', items: { enum: range(4000).map((i) => `value-${i}`) } }, data: () => range(200).map(() => 'nope') },
  { name: 'enum of objects, 50 items', schema: { type: 'array', items: { enum: range(300).map((i) => ({ id: i, tags: ['a', 'b'] })) } }, data: () => range(50).map((i) => ({ id: i + 1000, tags: ['a', 'b'] })) },
  { name: 'deep anyOf/allOf nesting (7 levels, 28 deep)', schema: nested, data: () => fill(MiB, 1.5) },
  { name: '$ref doubling chain (2^10 expansions)', schema: doublingRefs(10), data: () => range(400).map(() => ({ y: 1 })) },
  { name: '$ref doubling chain (2^20: refused at registration)', schema: doublingRefs(20), data: () => [{}] },
  { name: 'uniqueItems on 100k numbers', schema: { type: 'array', uniqueItems: true }, data: () => range(100_000) },
  { name: 'uniqueItems on 4.5k numbers (inside the budget)', schema: { type: 'array', uniqueItems: true }, data: () => range(4_500) },
  { name: 'uniqueItems on 150 objects (inside the budget)', schema: { type: 'array', uniqueItems: true }, data: () => range(150).map((i) => ({ id: i, tags: [i, i + 1] })) },
  { name: 'pattern on 80 short strings (inside the budget)', schema: { type: 'array', items: { type: 'string', pattern: '^ord_[0-9A-Z]{26}$' } }, data: () => range(80).map(() => 'ord_01J0000000000000000000000A') },
  { name: 'uniqueItems on 20k objects', schema: { type: 'array', uniqueItems: true }, data: () => range(20_000).map((i) => ({ id: i, name: `n${i}`, tags: [i, i + 1] })) },
  { name: 'uniqueItems with items schema, 50k strings', schema: { type: 'array', items: { type: 'string' }, uniqueItems: true }, data: () => range(50_000).map((i) => `s${i}`) },
  { name: 'const big object vs big data', schema: { type: 'array', items: { const: Object.fromEntries(range(500).map((i) => [`k${i}`, i])) } }, data: () => range(100).map(() => Object.fromEntries(range(500).map((i) => [`k${i}`, i]))) },
  { name: 'deeply nested data (depth 500)', schema: { type: 'object', properties: { a: { type: 'object', properties: { a: { type: 'object' } } } } }, data: () => { let d: unknown = 1; for (let i = 0; i < 500; i++) d = { a: d }; return d; } },
  { name: 'contains + minContains on 100k items', schema: { type: 'array', contains: { type: 'string', minLength: 3 }, minContains: 2 }, data: () => fill(MiB, 7) },
  { name: 'if/then/else per item, 50k items', schema: { type: 'array', items: { if: { type: 'object', required: ['a'] }, then: { properties: { a: { type: 'string', maxLength: 5 } } }, else: { type: 'object', required: ['b'] } } }, data: () => fill(MiB, { a: 'toolong' }) },
  { name: 'maxLength on a 1 MiB string (ucs2 length)', schema: { properties: { s: { type: 'string', maxLength: 10 } } }, data: () => ({ s: '😀'.repeat(MiB / 4) }) },
];

const RUNS = 5;

const compiler = new SchemaCompiler({ maxEntries: 100, maxCompileMs: 60_000 });
const report = ROWS.map((row) => {
  const data = row.data();
  const json = JSON.stringify(data);
  const kib = Math.round(json.length / 1024);
  const parses = Array.from({ length: RUNS }, () => cpuMs(() => JSON.parse(json) as unknown).ms).sort((a, b) => a - b);
  const parseMs = round(parses[Math.floor(RUNS / 2)] ?? 0);
  const dataBound = row.dataBound ?? false;
  const t0 = performance.now();
  const compiled = compiler.compile(row.schema);
  const compileMs = round(performance.now() - t0);
  if (!compiled.ok) return { case: row.name, outcome: `refused at registration: ${compiled.errors[0]?.message ?? ''}`, data_kib: kib, parse_ms: parseMs, data_bound: dataBound, compile_ms: compileMs, first_ms: 0, median_ms: 0, max_ms: 0 };
  const first = cpuMs(() => compiled.schema.validate(data));
  // CPU time, not wall time: the box is shared, and waiting for a core is not validation cost.
  const runs = Array.from({ length: RUNS }, () => cpuMs(() => compiled.schema.validate(data)).ms).sort((a, b) => a - b);
  const errors = first.result;
  const outcome = errors.length === 0 ? 'valid' : /too large to check|too many or too long strings/.test(errors[0]?.message ?? '') ? 'refused unrun (budget)' : `invalid (${errors.length} errors)`;
  return { case: row.name, outcome, data_kib: kib, parse_ms: parseMs, data_bound: dataBound, compile_ms: compileMs, first_ms: round(first.ms), median_ms: round(runs[Math.floor(RUNS / 2)] ?? 0), max_ms: round(runs[RUNS - 1] ?? 0) };
});
process.stdout.write(JSON.stringify(report));

function cpuMs<T>(fn: () => T): { result: T; ms: number } {
  const t = process.cpuUsage();
  const result = fn();
  const used = process.cpuUsage(t);
  return { result, ms: (used.user + used.system) / 1000 };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
