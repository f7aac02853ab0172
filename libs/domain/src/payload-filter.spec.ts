import fc from 'fast-check';
import { compilePayloadFilter, type FilterableEvent, PAYLOAD_FILTER_LIMITS, payloadFilterProblems } from './payload-filter.js';

const event = (data: Record<string, unknown>, type = 'order.placed'): FilterableEvent => ({ id: 'evt_1', type, occurred_at: '2026-12-06T10:00:00.000Z', data });

function compiled(filter: unknown) {
  const r = compilePayloadFilter(filter);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.filter;
}

const order = event({
  amount: 250,
  currency: 'EUR',
  customer: { tier: 'gold', country: 'DE', email: null },
  tags: ['new', 'vip'],
  items: [
    { sku: 'A-1', qty: 2 },
    { sku: 'B-7', qty: 1 },
  ],
});

describe('compilePayloadFilter: what passes', () => {
  it.each([
    [{ 'data.currency': 'EUR' }, true],
    [{ 'data.currency': 'USD' }, false],
    [{ data: { customer: { tier: 'gold' } } }, true],
    [{ 'data.customer': { tier: 'gold', country: 'FR' } }, false],
    [{ 'data.amount': { $gte: 250 } }, true],
    [{ 'data.amount': { $gt: 250 } }, false],
    [{ 'data.amount': { $gt: 100, $lt: 300 } }, true],
    [{ 'data.amount': { $gt: '100' } }, false],
    [{ 'data.currency': { $in: ['EUR', 'USD'] } }, true],
    [{ 'data.currency': { $nin: ['EUR', 'USD'] } }, false],
    [{ 'data.currency': { $ne: 'USD' } }, true],
    [{ 'data.currency': { $neq: 'EUR' } }, false],
    [{ 'data.tags': 'vip' }, true],
    [{ 'data.tags': ['new', 'vip'] }, true],
    [{ 'data.tags': ['vip', 'new'] }, false],
    [{ 'data.items.sku': 'B-7' }, true],
    [{ 'data.items.1.sku': 'B-7' }, true],
    [{ 'data.items.0.sku': 'B-7' }, false],
    [{ 'data.items.5.sku': { $exists: false } }, true],
    [{ 'data.items.qty': { $gt: 1 } }, true],
    [{ 'data.customer.email': null }, true],
    [{ 'data.customer.email': { $exists: true } }, true],
    [{ 'data.customer.phone': { $exists: true } }, false],
    [{ 'data.customer.phone': { $ne: 'x' } }, true],
    [{ 'data.customer': {} }, false],
    [{ type: 'order.placed', occurred_at: { $gte: '2026-12-01T00:00:00Z' } }, true],
    [{ occurred_at: { $lt: '2026-12-01' } }, false],
    [{ $or: [{ 'data.currency': 'USD' }, { 'data.customer.tier': 'gold' }] }, true],
    [{ $or: [{ 'data.currency': 'USD' }, { 'data.customer.tier': 'silver' }] }, false],
    [{ $and: [{ 'data.currency': 'EUR' }, { $not: { 'data.amount': { $lt: 100 } } }] }, true],
    [{ $not: { 'data.tags': 'vip' } }, false],
    [{ data: { customer: { $or: [{ tier: 'gold' }, { tier: 'platinum' }] } } }, true],
  ])('%j → %s', (filter, expected) => {
    const f = compiled(filter);
    expect(f.matches(order)).toBe(expected);
    expect(f.explain(order).matched).toBe(expected);
  });

  it('never reads inherited properties', () => {
    expect(compiled({ 'data.constructor': { $exists: true } }).matches(order)).toBe(false);
    expect(compiled({ 'data.__proto__': { $exists: true } }).matches(order)).toBe(false);
    expect(compiled({ 'data.tags.length': 2 }).matches(order)).toBe(false);
  });

  it('compares numbers with numbers and strings with strings only', () => {
    expect(compiled({ 'data.n': { $lt: 10 } }).matches(event({ n: '5' }))).toBe(false);
    expect(compiled({ 'data.n': { $lt: 'b' } }).matches(event({ n: 'a' }))).toBe(true);
    expect(compiled({ 'data.n': { $gte: 0 } }).matches(event({ n: null }))).toBe(false);
    expect(compiled({ 'data.n': 1 }).matches(event({ n: true }))).toBe(false);
  });
});

describe('compilePayloadFilter: explain', () => {
  it('names each failed clause by its path in the filter, with what the event holds', () => {
    const f = compiled({ 'data.currency': 'USD', $or: [{ 'data.amount': { $gt: 1000 } }, { 'data.customer.phone': { $exists: true } }] });
    expect(f.explain(order)).toEqual({
      matched: false,
      misses: [
        { clause: 'data.currency', message: 'data.currency is "EUR", not = "USD"' },
        { clause: '$or', message: 'none of its 2 clauses holds' },
        { clause: '$or.0.data.amount.$gt', message: 'data.amount is 250, not > 1000' },
        { clause: '$or.1.data.customer.phone.$exists', message: 'data.customer.phone is missing, it must exist' },
      ],
    });
  });

  it('explains a negation that failed, and says nothing when the event passes', () => {
    expect(compiled({ $not: { 'data.tags': 'vip' } }).explain(order).misses).toEqual([{ clause: '$not', message: 'the clause it negates holds' }]);
    expect(compiled({ 'data.currency': 'EUR' }).explain(order)).toEqual({ matched: true, misses: [] });
  });

  it('cuts long values short', () => {
    const [miss] = compiled({ 'data.s': 'x' }).explain(event({ s: 'y'.repeat(500) })).misses;
    expect(miss?.message.length).toBeLessThan(120);
  });
});

describe('compilePayloadFilter: refused filters', () => {
  it.each([
    [null, '', 'must be an object'],
    [[], '', 'must be an object'],
    [{}, '', 'an empty filter passes every event: send null to remove the filter'],
    [{ amount: 5 }, 'amount', 'a field path starts with data, type, id or occurred_at, not amount (payload fields are under data.)'],
    [{ 'type.name': 'x' }, 'type.name', 'type has no fields'],
    [{ 'data..x': 1 }, 'data..x', 'a field path has empty segments (two dots, or a dot at an end)'],
    [{ 'data.x': { $regex: 'a+' } }, 'data.x.$regex', expect.stringContaining('unknown operator $regex')],
    [{ $where: 'x' }, '$where', 'unknown operator $where: use a field path, $and, $or or $not here'],
    [{ 'data.x': { $gt: 1, y: 2 } }, 'data.x', expect.stringContaining('mixes operators')],
    [{ 'data.x': { $in: 'a' } }, 'data.x.$in', 'must be an array of values'],
    [{ 'data.x': { $gt: true } }, 'data.x.$gt', 'must be a number or a string'],
    [{ 'data.x': { $exists: 1 } }, 'data.x.$exists', 'must be true or false'],
    [{ $or: [] }, '$or', 'must be a non-empty array of filter objects'],
    [{ $and: [{ 'data.x': 1 }, 'y'] }, '$and.1', 'must be a non-empty filter object'],
    [{ $not: {} }, '$not', 'must be a non-empty filter object'],
    [{ 'data.x': 2 ** 53 + 1 }, 'data.x', 'a number beyond ±2^53, which JSON does not carry exactly'],
    [{ 'data.x': { $in: [1, 2 ** 60] } }, 'data.x.$in.1', 'a number beyond ±2^53, which JSON does not carry exactly'],
    [{ [`data.${Array.from({ length: 16 }, () => 'a').join('.')}`]: 1 }, `data.${Array.from({ length: 16 }, () => 'a').join('.')}`, 'a field path of more than 16 segments'],
    [{ 'data.x': 'y'.repeat(1025) }, 'data.x', 'a string longer than 1024 characters'],
    [{ 'data.x': { $in: Array.from({ length: 101 }, (_, i) => i) } }, 'data.x.$in', 'more than 100 values'],
  ])('%j: %s %s', (filter, path, message) => {
    expect(payloadFilterProblems(filter)).toEqual([{ path, message: message as unknown }]);
  });

  it('refuses deep nesting, a long text and too many conditions, before walking them', () => {
    let deep: Record<string, unknown> = { x: 1 };
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    expect(payloadFilterProblems({ data: deep })[0]?.message).toBe('nested deeper than 8 levels');
    expect(payloadFilterProblems({ 'data.x': { $nin: Array.from({ length: 100 }, () => 'z'.repeat(100)) } })).toEqual([{ path: '', message: 'longer than 8192 characters of JSON' }]);
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`data.f${String(i)}`, i]));
    expect(payloadFilterProblems(many)).toEqual([{ path: '', message: 'more than 100 conditions' }]);
  });

  it('reports every problem at once', () => {
    expect(payloadFilterProblems({ amount: 1, 'data.x': { $bogus: 1 } }).map((p) => p.path)).toEqual(['amount', 'data.x.$bogus']);
  });

  it('keeps the limits it documents', () => {
    expect(PAYLOAD_FILTER_LIMITS).toEqual({ maxBytes: 8192, maxDepth: 8, maxClauses: 100, maxListItems: 100, maxPathSegments: 16, maxStringLength: 1024 });
  });
});

describe('compilePayloadFilter: properties', () => {
  const scalar = fc.oneof(fc.string({ maxLength: 8 }), fc.integer({ min: -1000, max: 1000 }), fc.boolean(), fc.constant(null));

  it('never throws on any JSON, and a filter it accepts never throws on any event', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.jsonValue({ maxDepth: 6 }), (filter, data) => {
        const r = compilePayloadFilter(filter);
        if (r.ok) {
          const e = event(typeof data === 'object' && data !== null && !Array.isArray(data) ? data : { v: data });
          expect(r.filter.explain(e).matched).toBe(r.filter.matches(e));
        } else {
          expect(r.problems.length).toBeGreaterThan(0);
        }
      }),
      { seed: 1806, numRuns: 2000 },
    );
  });

  it('$in is $or of equalities, $nin its negation, and $not negates', () => {
    fc.assert(
      fc.property(fc.array(scalar, { minLength: 1, maxLength: 5 }), fc.oneof(scalar, fc.array(scalar, { maxLength: 4 })), (list, v) => {
        const e = event({ v });
        const inList = compiled({ 'data.v': { $in: list } }).matches(e);
        expect(compiled({ $or: list.map((x) => ({ 'data.v': { $eq: x } })) }).matches(e)).toBe(inList);
        expect(compiled({ 'data.v': { $nin: list } }).matches(e)).toBe(!inList);
        expect(compiled({ $not: { 'data.v': { $in: list } } }).matches(e)).toBe(!inList);
      }),
      { seed: 1806, numRuns: 1000 },
    );
  });
});
