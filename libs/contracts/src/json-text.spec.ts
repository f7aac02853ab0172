import { describe, expect, it } from '@jest/globals';
import { inspectJsonText, numberLiteralProblem } from './json-text.js';

describe('numberLiteralProblem', () => {
  it.each(['0', '-0', '9007199254740991', '-9007199254740991', '1.5', '1e300', '1e20', '0.0', '0e10', '2.5e-300'])('accepts %s', (raw) => {
    expect(numberLiteralProblem(raw)).toBeNull();
  });
  it.each(['9007199254740992', '9007199254740993', '-9007199254740993', '1e400', '-1e400', '1e-400', '123456789012345678901234567890'])('refuses %s', (raw) => {
    expect(numberLiteralProblem(raw)).not.toBeNull();
  });
});

describe('inspectJsonText', () => {
  it('finds duplicate keys, escaped or not, with their paths', () => {
    expect(inspectJsonText('{"a":1,"b":{"x":[1,{"k":1,"k":2}]},"\\u0061":3}', 64).problems).toEqual([
      { path: ['b', 'x', 1, 'k'], message: 'duplicate key' },
      { path: ['a'], message: 'duplicate key' },
    ]);
    expect(inspectJsonText('[{"a":1},{"a":2}]', 64).problems).toEqual([]);
  });

  it('finds numbers JSON.parse would change, with their paths', () => {
    expect(inspectJsonText('{"events":[{"n":1},{"data":{"big":9007199254740993,"inf":1e400}}]}', 64).problems).toEqual([
      { path: ['events', 1, 'data', 'big'], message: 'integer beyond ±(2^53−1) cannot be represented exactly' },
      { path: ['events', 1, 'data', 'inf'], message: 'number is out of range' },
    ]);
  });

  it('ignores what looks like JSON inside strings', () => {
    expect(inspectJsonText('{"s":"{\\"a\\":1,\\"a\\":9007199254740993} [[[[","t":"\\\\"}', 3)).toEqual({ tooDeepAt: null, problems: [] });
  });

  it('stops at the first level past the limit, even 1,000,000 levels down', () => {
    expect(inspectJsonText('{"a":[[1]]}', 3)).toEqual({ tooDeepAt: null, problems: [] });
    expect(inspectJsonText('{"a":[[[1]]]}', 3).tooDeepAt).toEqual(['a', 0, 0]);
    expect(inspectJsonText('['.repeat(1_000_000), 64).tooDeepAt).toHaveLength(64);
  });

  it('stops quietly on broken JSON', () => {
    expect(inspectJsonText('{"a":"unterminated', 64)).toEqual({ tooDeepAt: null, problems: [] });
    expect(inspectJsonText('{"\\u12":1}', 64)).toEqual({ tooDeepAt: null, problems: [] });
  });
});
