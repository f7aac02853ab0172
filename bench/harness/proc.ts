import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { epochMs } from './clock.ts';

/** The fields of /proc/<pid>/stat the bench reads; times in clock ticks. */
export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  utime: number;
  stime: number;
  /** CPU time of children already reaped (a postmaster's finished backends). */
  cutime: number;
  cstime: number;
}

export function parseStat(text: string): ProcStat {
  // comm is in parentheses and may itself hold spaces and parentheses: split after the last ')'.
  const close = text.lastIndexOf(')');
  const open = text.indexOf('(');
  const rest = text.slice(close + 2).split(' ');
  const field = (n: number) => Number(rest[n - 3]);
  return {
    pid: Number(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    state: rest[0] ?? '?',
    ppid: field(4),
    utime: field(14),
    stime: field(15),
    cutime: field(16),
    cstime: field(17),
  };
}

/** Busy and total ticks of the whole machine, from the first line of /proc/stat. */
export function parseMachineStat(text: string): { busy: number; total: number } {
  const line = text.split('\n').find((l) => l.startsWith('cpu ')) ?? '';
  // user nice system idle iowait irq softirq steal (guest time is already inside user).
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  return { busy: total - idle - iowait, total };
}

/** VmHWM (peak resident set) in kB from /proc/<pid>/status. */
export function parsePeakRssKb(status: string): number | null {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(status);
  return m ? Number(m[1]) : null;
}

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function readStat(pid: number): ProcStat | null {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

export function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  const s = readStat(pid);
  return s !== null && s.state !== 'Z';
}

function allStats(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = readStat(Number(entry));
    if (s) out.push(s);
  }
  return out;
}

/**
 * The process listening on a TCP port on this machine (for the shared Kafka, Postgres and
 * Redis), or null when it cannot be told (another user's process without the right to look).
 */
export function listenerPid(port: number): number | null {
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1] ?? '';
      // State 0A is LISTEN; the inode is the tenth column.
      if (cols[3] === '0A' && Number.parseInt(local.split(':')[1] ?? '', 16) === port && cols[9]) inodes.add(cols[9]);
    }
  }
  if (inodes.size === 0) return null;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${entry}/fd/${fd}`));
        if (m?.[1] && inodes.has(m[1])) return Number(entry);
      } catch {
        // the descriptor closed while we looked
      }
    }
  }
  return null;
}

export interface Watched {
  name: string;
  pid: number;
  /** Count the process's descendants too (a postmaster and its backends). */
  tree: boolean;
  /** Shared with other users of the machine: its figures include their load. */
  shared: boolean;
}

export interface ProcessUsage {
  cpu_s: number;
  /** Of one core, over the window: 100 means one core busy all the time. */
  cpu_pct: number;
  /** Peak resident set over the window (single processes; null for trees). */
  rss_peak_mb: number | null;
  shared: boolean;
}

export interface Usage {
  wall_s: number;
  /**
   * The window on the machine's monotonic clock, in µs: the clock V8 stamps CPU profiles with,
   * so a profile can be cut to the window.
   */
  monotonic_us: { from: number; to: number };
  machine: { cores: number; busy_cpu_s: number; busy_pct: number };
  processes: Record<string, ProcessUsage>;
}

function treeTicks(root: number, stats: readonly ProcStat[]): number | null {
  const byPid = new Map(stats.map((s) => [s.pid, s]));
  const rootStat = byPid.get(root);
  if (!rootStat) return null;
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  let ticks = 0;
  const stack = [rootStat];
  while (stack.length) {
    const s = stack.pop() as ProcStat;
    // A reaped child's whole lifetime moves into its parent's cutime/cstime, so a backend that
    // exits during the window is still counted exactly once.
    ticks += s.utime + s.stime + s.cutime + s.cstime;
    stack.push(...(children.get(s.pid) ?? []));
  }
  return ticks;
}

/** The processes that stand for the load, not the platform: left out of the platform's CPU per delivery. */
export const LOAD_PROCESSES: readonly string[] = ['receiver', 'bench harness'];

/**
 * The platform's CPU ms per delivery: the five services, Kafka, Postgres and Redis, without the
 * receiver and the load generator (issue 16's figure).
 */
export function platformCpuMs(perProcess: Readonly<Record<string, number>>): number {
  return Object.entries(perProcess).reduce((sum, [name, ms]) => (LOAD_PROCESSES.includes(name) ? sum : sum + ms), 0);
}

/** CPU ms each process spent per delivery over the window (receiver and harness included, apart). */
export function cpuMsPerDelivery(usage: Usage, deliveries: number): Record<string, number> {
  return Object.fromEntries(Object.entries(usage.processes).map(([name, u]) => [name, deliveries > 0 ? (u.cpu_s * 1000) / deliveries : 0]));
}

export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

function snapshot(watched: readonly Watched[]): { at: number; mono: number; machine: { busy: number; total: number }; ticks: Map<string, number> } {
  const stats = watched.some((w) => w.tree) ? allStats() : [];
  const ticks = new Map<string, number>();
  for (const w of watched) {
    const t = w.tree ? treeTicks(w.pid, stats) : (() => {
      const s = readStat(w.pid);
      return s ? s.utime + s.stime + s.cutime + s.cstime : null;
    })();
    if (t !== null) ticks.set(w.name, t);
  }
  return { at: epochMs(), mono: monotonicUs(), machine: parseMachineStat(readFileSync('/proc/stat', 'utf8')), ticks };
}

function peakRssMb(pid: number): number | null {
  try {
    const kb = parsePeakRssKb(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb === null ? null : Math.round(kb / 1024);
  } catch {
    return null;
  }
}

/** Writing 5 to clear_refs resets VmHWM, so each window gets its own peak (Linux ≥ 4.0). */
function resetPeakRss(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // not allowed here: the peak then covers the process's whole life so far
  }
}

export interface MeterWindow {
  stop(): Usage;
}

/** CPU seconds (utime + stime from /proc) and peak RSS (VmHWM) per process, per window. */
export class ProcessMeter {
  private readonly watched: () => Watched[];

  constructor(watched: () => Watched[]) {
    this.watched = watched;
  }

  start(): MeterWindow {
    const watched = this.watched();
    for (const w of watched) if (!w.tree) resetPeakRss(w.pid);
    const before = snapshot(watched);
    return {
      stop: () => {
        const after = snapshot(watched);
        const wall = (after.at - before.at) / 1000;
        const cores = availableParallelism();
        const busy = (after.machine.busy - before.machine.busy) / TICKS_PER_SECOND;
        const processes: Record<string, ProcessUsage> = {};
        for (const w of watched) {
          const a = before.ticks.get(w.name);
          const b = after.ticks.get(w.name);
          if (a === undefined || b === undefined) continue;
          const cpu = (b - a) / TICKS_PER_SECOND;
          processes[w.name] = { cpu_s: cpu, cpu_pct: wall > 0 ? (cpu / wall) * 100 : 0, rss_peak_mb: w.tree ? null : peakRssMb(w.pid), shared: w.shared };
        }
        return { wall_s: wall, monotonic_us: { from: before.mono, to: after.mono }, machine: { cores, busy_cpu_s: busy, busy_pct: wall > 0 ? (busy / (wall * cores)) * 100 : 0 }, processes };
      },
    };
  }
}
