import { describe, expect, it } from '@jest/globals';
import { parseMachineStat, parsePeakRssKb, parseStat, platformCpuMs } from './proc.ts';

describe('parseStat', () => {
  it('reads the CPU times of a process whose name holds spaces and parentheses', () => {
    const line = '4242 (node (worker) 1) S 17 4242 17 0 -1 4194560 1234 0 0 0 523 211 7 3 20 0 11 0 98765 1234567 890 18446744073709551615';
    expect(parseStat(line)).toEqual({ pid: 4242, comm: 'node (worker) 1', state: 'S', ppid: 17, utime: 523, stime: 211, cutime: 7, cstime: 3 });
  });
});

describe('parseMachineStat', () => {
  it('counts idle and iowait as not busy, and guest time once (inside user)', () => {
    const text = 'cpu  100 5 50 1000 20 3 2 1 40 0\ncpu0 50 2 25 500 10 1 1 0 20 0\nintr 1\n';
    expect(parseMachineStat(text)).toEqual({ busy: 161, total: 1181 });
  });
});

describe('parsePeakRssKb', () => {
  it('reads VmHWM', () => {
    expect(parsePeakRssKb('Name:\tnode\nVmPeak:\t 900 kB\nVmHWM:\t  81234 kB\nVmRSS:\t 80000 kB\n')).toBe(81234);
    expect(parsePeakRssKb('Name:\tkthreadd\n')).toBeNull();
  });
});

describe('platformCpuMs', () => {
  it('sums the services and the infrastructure, leaving out the receiver and the load generator', () => {
    expect(platformCpuMs({ dispatcher: 0.4, 'postgres (private)': 0.3, 'kafka (shared)': 0.1, receiver: 0.05, 'bench harness': 0.05 })).toBeCloseTo(0.8, 10);
  });
});
