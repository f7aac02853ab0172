import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat on Linux (USER_HZ, 100 on every kernel we run). */
const TICKS = 100;

/**
 * CPU seconds (user + system) a process has used so far, with those of its children that have
 * exited (cutime + cstime: a postmaster's finished backends, which connections replaced after
 * DATABASE_CONNECTION_MAX_AGE_S leave behind), or null when it is gone.
 */
export function processCpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) start after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICKS;
  } catch {
    return null;
  }
}

/** CPU seconds used so far by every live process whose command is `comm` (postgres, java, redis-server). */
export function commandCpuSeconds(comm: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== comm) continue;
    } catch {
      continue;
    }
    total += processCpuSeconds(Number(entry)) ?? 0;
  }
  return total;
}

export type CpuSample = Record<string, number | null>;

/**
 * CPU seconds per process group, for a round's before/after: the services (by pid), the harness,
 * and the shared infrastructure (Postgres backends, the Kafka JVM, Redis). A backend that exited
 * during the round is counted in its postmaster's children's time.
 */
export function sampleCpu(services: Record<string, number | undefined>): CpuSample {
  const sample: CpuSample = {};
  for (const [name, pid] of Object.entries(services)) sample[name] = processCpuSeconds(pid);
  const harness = process.cpuUsage();
  sample['harness'] = (harness.user + harness.system) / 1e6;
  sample['postgres'] = commandCpuSeconds('postgres');
  sample['kafka'] = commandCpuSeconds('java');
  sample['redis'] = commandCpuSeconds('redis-server');
  return sample;
}

/** What each group used between two samples, in CPU seconds (null when its process changed). */
export function cpuUsed(before: CpuSample, after: CpuSample): CpuSample {
  const used: CpuSample = {};
  for (const [name, end] of Object.entries(after)) {
    const start = before[name];
    used[name] = end === null || start === null || start === undefined || end < start ? null : Math.round((end - start) * 10) / 10;
  }
  return used;
}
