/**
 * Reads V8 .cpuprofile files (what `node --cpu-prof` writes) into the few lines that explain
 * where a process spent its CPU: the functions with the most self time, and the same time
 * summed per package (a dependency, one of our apps or libs, Node's internals, GC).
 */

export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  self_ms: number;
  /** Share of the busy (non-idle) time. */
  self_pct: number;
}

export interface ProfileSummary {
  duration_ms: number;
  busy_ms: number;
  top_functions: SelfTime[];
  by_package: SelfTime[];
}

const NOT_BUSY = new Set(['(idle)', '(root)']);

/** Who a script belongs to: `kafkajs`, `@nestjs/core`, `apps/dispatcher`, `libs/kafka`, `node:internal`, `bench`. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (modules?.[1]) return modules[1];
  const ours = /\/((?:apps|libs)\/[^/]+)\//.exec(url);
  if (ours?.[1]) return ours[1];
  if (url.startsWith('node:')) return 'node:internal';
  if (url.includes('/bench/')) return 'bench';
  return url.replace(/^file:\/\//, '');
}

function location(frame: CpuProfileNode['callFrame']): string {
  if (!frame.url) return '';
  const file = frame.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '');
  return ` ${file}:${frame.lineNumber + 1}`;
}

/**
 * Self time per function and per package; with `window` (µs on the profile's own clock, the
 * machine's monotonic clock) only the samples taken inside it, so a bench phase can be looked
 * at without the process's start-up.
 */
export function summariseProfile(profile: CpuProfile, top = 15, window?: { from: number; to: number }): ProfileSummary {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const from = Math.max(window?.from ?? profile.startTime, profile.startTime);
  const to = Math.min(window?.to ?? profile.endTime, profile.endTime);
  // A sample lasts until the next one; the last until the end of the profile.
  const selfUs = new Map<number, number>();
  let t = profile.startTime;
  const stamps = profile.timeDeltas.map((d) => (t += d));
  profile.samples.forEach((id, i) => {
    const at = stamps[i] ?? profile.endTime;
    if (at < from || at >= to) return;
    const next = Math.min(stamps[i + 1] ?? profile.endTime, to);
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, next - at));
  });
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const node = nodes.get(id);
    if (!node || NOT_BUSY.has(node.callFrame.functionName)) continue;
    busyUs += us;
    const f = node.callFrame;
    const fn = `${f.functionName || '(anonymous)'}${location(f)}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    const pkg = packageOf(f.url, f.functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  }
  const rank = (m: Map<string, number>, n: number): SelfTime[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, self_ms: Math.round(us / 1000), self_pct: busyUs > 0 ? Math.round((us / busyUs) * 1000) / 10 : 0 }));
  return {
    duration_ms: Math.round(Math.max(0, to - from) / 1000),
    busy_ms: Math.round(busyUs / 1000),
    top_functions: rank(byFunction, top),
    by_package: rank(byPackage, 10),
  };
}
