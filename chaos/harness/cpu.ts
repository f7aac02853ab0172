import { listenerPid, ProcessMeter, type Usage, type Watched } from '../../bench/harness/proc.ts';

export type CpuSample = Record<string, number | null>;

/** Where the private infrastructure listens (PrivateInfra's ports). */
export interface InfraPorts {
  postgres: number;
  kafka: number;
  redis: number;
}

/**
 * What a round's CPU is read from, with the bench's ProcessMeter: each service by pid, the
 * harness (its attacker thread included: /proc counts a process's threads together), and the
 * private Postgres (postmaster and backends, those that exited during the round too), Kafka and
 * Redis, found by the port they listen on. Another cluster on the machine (the shared Postgres of
 * the integration tier) is not counted, as it was when every `postgres` process was.
 */
export function chaosProcesses(services: Record<string, number | undefined>, ports: InfraPorts): Watched[] {
  const watched: Watched[] = [];
  for (const [name, pid] of Object.entries(services)) if (pid !== undefined) watched.push({ name, pid, tree: false, shared: false });
  watched.push({ name: 'harness', pid: process.pid, tree: false, shared: false });
  for (const [name, port, tree] of [
    ['postgres', ports.postgres, true],
    ['kafka', ports.kafka, false],
    ['redis', ports.redis, false],
  ] as const) {
    const pid = listenerPid(port);
    if (pid !== null) watched.push({ name, pid, tree, shared: false });
  }
  return watched;
}

/**
 * CPU seconds per process over a window, to a tenth: null for one the window could not follow
 * (a service restarted, Kafka or Postgres crashed and came back under another pid).
 */
export function cpuSeconds(usage: Usage, names: readonly string[]): CpuSample {
  return Object.fromEntries(names.map((n) => {
    const u = usage.processes[n];
    return [n, u === undefined ? null : Math.round(u.cpu_s * 10) / 10];
  }));
}

/** A meter for a chaos system's processes; `names` lists what every round reports, measured or not. */
export function chaosMeter(services: () => Record<string, number | undefined>, ports: InfraPorts): { meter: ProcessMeter; names: () => string[] } {
  return {
    meter: new ProcessMeter(() => chaosProcesses(services(), ports)),
    names: () => [...Object.keys(services()), 'harness', 'postgres', 'kafka', 'redis'],
  };
}
