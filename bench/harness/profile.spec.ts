import { describe, expect, it } from '@jest/globals';
import { type CpuProfile, packageOf, summariseProfile } from './profile.ts';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber, columnNumber: 0 });

describe('summariseProfile', () => {
  // root → send (got) → hmac (node:internal); plus idle and GC. Samples every 1 ms.
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 4, 5] },
      { id: 2, callFrame: frame('send', 'file:///repo/node_modules/got/dist/source/core/index.js', 9), children: [3] },
      { id: 3, callFrame: frame('hmac', 'node:internal/crypto/hash', 41) },
      { id: 4, callFrame: frame('(idle)') },
      { id: 5, callFrame: frame('(garbage collector)') },
    ],
    startTime: 0,
    endTime: 10_000,
    samples: [2, 2, 3, 3, 3, 3, 4, 4, 5, 2],
    timeDeltas: [0, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
  };

  it('ranks self time, leaving idle out of the busy total', () => {
    const s = summariseProfile(profile);
    expect(s.duration_ms).toBe(10);
    expect(s.busy_ms).toBe(8);
    expect(s.top_functions[0]).toEqual({ name: 'hmac node:internal/crypto/hash:42', self_ms: 4, self_pct: 50 });
    expect(s.top_functions[1]).toEqual({ name: 'send got/dist/source/core/index.js:10', self_ms: 3, self_pct: 37.5 });
  });

  it('keeps only the samples inside a window', () => {
    // 2,000-5,000 µs holds samples 2, 3 and 4: three milliseconds of hmac.
    const s = summariseProfile(profile, 15, { from: 2000, to: 5000 });
    expect(s.duration_ms).toBe(3);
    expect(s.busy_ms).toBe(3);
    expect(s.top_functions).toEqual([{ name: 'hmac node:internal/crypto/hash:42', self_ms: 3, self_pct: 100 }]);
  });

  it('sums self time per package', () => {
    expect(summariseProfile(profile).by_package).toEqual([
      { name: 'node:internal', self_ms: 4, self_pct: 50 },
      { name: 'got', self_ms: 3, self_pct: 37.5 },
      { name: '(garbage collector)', self_ms: 1, self_pct: 12.5 },
    ]);
  });
});

describe('packageOf', () => {
  it('names dependencies, our apps and libs, and Node itself', () => {
    expect(packageOf('file:///r/node_modules/@nestjs/core/router/x.js', 'f')).toBe('@nestjs/core');
    expect(packageOf('file:///r/apps/dispatcher/dist/sending/send.consumer.js', 'f')).toBe('apps/dispatcher');
    expect(packageOf('file:///r/libs/kafka/dist/producer.service.js', 'f')).toBe('libs/kafka');
    expect(packageOf('node:internal/streams/readable', 'f')).toBe('node:internal');
    expect(packageOf('file:///work/bench/bench/harness/fast-receiver.ts', 'f')).toBe('bench');
    expect(packageOf('', '(program)')).toBe('(program)');
    expect(packageOf('', 'JSONParse')).toBe('(native)');
  });
});
