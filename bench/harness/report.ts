import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Ledger } from './ledger.ts';
import type { BenchOptions } from './options.ts';
import { platformCpuMs, type Usage } from './proc.ts';
import type { ProfileSummary } from './profile.ts';
import { type ScenarioResult, trustedFigure } from './scenario.ts';
import { round } from './stats.ts';
import type { Partitions, ServiceEnv } from './system.ts';

export interface Target {
  id: string;
  description: string;
  scenario: string;
  figure: string;
  comparison: '>=' | '<=' | '<';
  threshold: number;
  unit: string;
}

/** The issue's targets for a 2-core machine. A miss is reported, never a failed run. */
export const TARGETS: readonly Target[] = [
  { id: 'sustained_throughput', description: '≥ 5,000 deliveries/s sustained', scenario: 'pipeline', figure: 'sustained_per_s', comparison: '>=', threshold: 5000, unit: 'deliveries/s' },
  { id: 'cpu_per_delivery', description: 'CPU ≤ 0.30 ms per delivery (services, Kafka, Postgres, Redis)', scenario: 'pipeline', figure: 'cpu_ms_per_delivery', comparison: '<=', threshold: 0.3, unit: 'ms' },
  { id: 'p99_latency_at_100', description: 'p99 publish → receipt ≤ 20 ms at 100 events/s', scenario: 'latency_curve', figure: 'p99_ms_at_100', comparison: '<=', threshold: 20, unit: 'ms' },
  { id: 'p99_latency_at_1000', description: 'p99 publish → receipt ≤ 50 ms at 1,000 events/s', scenario: 'latency_1000', figure: 'p99_ms', comparison: '<=', threshold: 50, unit: 'ms' },
  { id: 'pipeline_vs_http_ceiling', description: 'pipeline ≥ 50 % of the raw HTTP ceiling', scenario: 'ratios', figure: 'pipeline_vs_http_ceiling', comparison: '>=', threshold: 0.5, unit: '×' },
  { id: 'endpoint_health_p95', description: 'endpoint health p95 ≤ 50 ms with 10 million attempt rows (full run)', scenario: 'endpoint_health', figure: 'p95_ms_at_10m_rows', comparison: '<=', threshold: 50, unit: 'ms' },
  { id: 'catch_up_feed_p95', description: 'catch-up feed p95 ≤ 50 ms with 10 million events (full run)', scenario: 'catch_up_feed', figure: 'p95_ms_at_10m_events', comparison: '<=', threshold: 50, unit: 'ms' },
  { id: 'fanout_1000', description: 'fan-out to 1,000 endpoints complete in < 1 s (worst repeat)', scenario: 'fanout', figure: 'last_receipt_ms', comparison: '<', threshold: 1000, unit: 'ms' },
  { id: 'filtered_fanout_overhead', description: 'fan-out to 1,000 subscriptions with payload filters costs ≤ 20 % more dispatcher CPU per delivery than without', scenario: 'fanout_filtered', figure: 'dispatcher_cpu_vs_unfiltered', comparison: '<=', threshold: 1.2, unit: '×' },
];

export interface TargetResult extends Target {
  /** Null when not measured, or when its phase failed (a failed phase proves no target). */
  measured: number | null;
  status: 'pass' | 'miss' | 'not measured';
}

export interface BenchRecord {
  schema_version: 1;
  started_at: string;
  finished_at: string;
  mode: BenchOptions['mode'];
  /** False when any delivery was lost or unrecorded, or a phase could not complete. */
  ok: boolean;
  problems: string[];
  machine: MachineInfo;
  git: GitInfo;
  config: {
    sizes: BenchOptions['sizes'];
    send_concurrency: number;
    receiver_ports: number;
    body_bytes: number;
    cpu_prof: boolean;
    stall_s: number;
    publish_via: string;
    partitions: Partitions | null;
    service_env: ServiceEnv | null;
  };
  scenarios: Record<string, ScenarioResult>;
  ratios: Record<string, number | null>;
  targets: TargetResult[];
  /** Over all scenarios: how busy the machine was, and how much of that was not the bench. */
  run_usage: (Usage & { outside_bench_cpu_pct: number }) | null;
  /** Per process: its profile file, and self time within each scenario's measured window. */
  profiles: Record<string, { file: string; by_scenario: Record<string, ProfileSummary> }> | null;
}

export interface MachineInfo {
  cores: number;
  cpu_model: string;
  memory_gb: number;
  kernel: string;
  node: string;
  loadavg_at_start: number[];
  loadavg_at_end: number[];
}

export interface GitInfo {
  commit: string | null;
  branch: string | null;
  /** Uncommitted changes to tracked files when the run started. */
  dirty: boolean | null;
}

export function machineInfo(): Omit<MachineInfo, 'loadavg_at_end'> {
  return {
    cores: availableParallelism(),
    cpu_model: cpus()[0]?.model.trim() ?? 'unknown',
    memory_gb: round(totalmem() / 2 ** 30, 1),
    kernel: release(),
    node: process.version,
    loadavg_at_start: loadavg().map((l) => round(l)),
  };
}

export function gitInfo(root: string): GitInfo {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return null;
    }
  };
  const status = git('status', '--porcelain', '--untracked-files=no');
  return { commit: git('rev-parse', 'HEAD'), branch: git('rev-parse', '--abbrev-ref', 'HEAD'), dirty: status === null ? null : status.length > 0 };
}

export function ratios(results: ReadonlyMap<string, ScenarioResult>): Record<string, number | null> {
  const pipeline = trustedFigure(results, 'pipeline', 'sustained_per_s');
  const http = trustedFigure(results, 'http_ceiling', 'requests_per_s');
  const kafka = trustedFigure(results, 'kafka_ceiling', 'end_to_end_per_s');
  return {
    pipeline_vs_http_ceiling: pipeline !== null && http ? pipeline / http : null,
    pipeline_vs_kafka_ceiling: pipeline !== null && kafka ? pipeline / kafka : null,
  };
}

export function evaluateTargets(results: ReadonlyMap<string, ScenarioResult>, ratioFigures: Record<string, number | null>): TargetResult[] {
  return TARGETS.map((t) => {
    const measured = t.scenario === 'ratios' ? (ratioFigures[t.figure] ?? null) : trustedFigure(results, t.scenario, t.figure);
    if (measured === null) return { ...t, measured, status: 'not measured' };
    const pass = t.comparison === '>=' ? measured >= t.threshold : t.comparison === '<=' ? measured <= t.threshold : measured < t.threshold;
    return { ...t, measured, status: pass ? 'pass' : 'miss' };
  });
}

export function roundUsage(u: Usage): Usage {
  return {
    wall_s: round(u.wall_s),
    monotonic_us: u.monotonic_us,
    machine: { cores: u.machine.cores, busy_cpu_s: round(u.machine.busy_cpu_s), busy_pct: round(u.machine.busy_pct, 0) },
    processes: Object.fromEntries(Object.entries(u.processes).map(([k, p]) => [k, { ...p, cpu_s: round(p.cpu_s), cpu_pct: round(p.cpu_pct, 0) }])),
  };
}

/** Rounds every figure for the file and the table (raw values carry no extra truth at this noise). */
export function roundFigures(r: ScenarioResult): ScenarioResult {
  const figures = Object.fromEntries(Object.entries(r.figures).map(([k, v]) => [k, v === null ? null : round(v)]));
  return { ...r, figures, ...(r.usage ? { usage: roundUsage(r.usage) } : {}) };
}

export function writeResults(dir: string, stamp: string, record: BenchRecord): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}

function table(rows: string[][], indent = '  '): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n');
}

const fmt = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '–' : round(v).toLocaleString('en-US'));

/** CPU ms per delivery per process, for the phases that report it, with the platform's sum. */
function cpuPerDeliveryTable(record: BenchRecord): string[] {
  const phases = Object.entries(record.scenarios).flatMap(([name, r]) => {
    const per = r.details?.['cpu_ms_per_delivery'];
    return per && typeof per === 'object' ? [[name, per as Record<string, number>] as const] : [];
  });
  if (phases.length === 0) return [];
  const names = [...new Set(phases.flatMap(([, per]) => Object.keys(per)))];
  const rows = [['process', ...phases.map(([n]) => n)]];
  for (const p of names) rows.push([p, ...phases.map(([, per]) => (per[p] === undefined ? '–' : (per[p] ?? 0).toFixed(3)))]);
  rows.push(['platform (without receiver, harness)', ...phases.map(([, per]) => platformCpuMs(per).toFixed(3))]);
  return ['', 'CPU ms per delivery per process (the platform’s sum leaves out the receiver and the load generator)', table(rows)];
}

function ledgerRow(name: string, l: Ledger): string[] {
  return [name, fmt(l.expected), fmt(l.delivered), fmt(l.lost), fmt(l.duplicates), fmt(l.strays), fmt(l.unexpected), fmt(l.requests), fmt(l.attempts.answered), fmt(l.attempts.total), l.problems.length ? 'PROBLEM' : 'ok'];
}

/** The printed summary: figures, ratios, targets, CPU per process and phase, accounting. */
export function formatReport(record: BenchRecord, titles: ReadonlyMap<string, string>): string {
  const m = record.machine;
  const g = record.git;
  const out: string[] = [];
  out.push(`Hookstream bench, ${record.mode} run: ${m.cores} cores (${m.cpu_model}), Node ${m.node}, commit ${g.commit?.slice(0, 10) ?? 'unknown'}${g.dirty ? ' with uncommitted changes' : ''}`);
  if (record.run_usage) {
    out.push(
      `machine ${fmt(record.run_usage.machine.busy_pct)} % busy during the scenarios, ${fmt(record.run_usage.outside_bench_cpu_pct)} % of its CPU used by other work; load average ${m.loadavg_at_start.join(' ')} at start`,
    );
  }
  for (const [name, r] of Object.entries(record.scenarios)) {
    out.push('', titles.get(name) ?? name);
    out.push(`    ${Object.entries(r.figures).map(([k, v]) => `${k} ${fmt(v)}`).join(' · ')}`);
    for (const n of r.notes ?? []) out.push(`    note: ${n}`);
  }
  out.push('', 'pipeline ÷ raw ceilings');
  out.push(table(Object.entries(record.ratios).map(([k, v]) => [k, v === null ? '–' : round(v).toString()])));
  out.push('', 'targets (a miss is reported; it does not fail the run)');
  out.push(table(record.targets.map((t) => [t.description, `${fmt(t.measured)} ${t.unit}`, t.status === 'pass' ? 'pass' : t.status === 'miss' ? 'MISS' : 'not measured'])));
  const withUsage = Object.entries(record.scenarios).filter(([, r]) => r.usage);
  if (withUsage.length) {
    const names = [...new Set(withUsage.flatMap(([, r]) => Object.keys(r.usage?.processes ?? {})))];
    out.push('', 'CPU seconds (% of one core) and peak RSS per process over each measured window; shared processes include other users’ load');
    const rows = [['process', ...withUsage.map(([n]) => n)]];
    for (const p of names) {
      rows.push([
        p,
        ...withUsage.map(([, r]) => {
          const u = r.usage?.processes[p];
          return u ? `${fmt(u.cpu_s)} s (${fmt(u.cpu_pct)} %)${u.rss_peak_mb === null ? '' : ` ${u.rss_peak_mb} MB`}` : '–';
        }),
      ]);
    }
    rows.push(['machine busy %', ...withUsage.map(([, r]) => fmt(r.usage?.machine.busy_pct))]);
    out.push(table(rows));
  }
  out.push(...cpuPerDeliveryTable(record));
  const ledgers = Object.entries(record.scenarios).flatMap(([n, r]) => (r.ledger ? [ledgerRow(n, r.ledger)] : []));
  if (ledgers.length) {
    out.push('', 'accounting: every delivery of every phase');
    out.push(table([['phase', 'expected', 'delivered', 'lost', 'duplicates', 'strays', 'unexpected', 'requests', 'attempts answered', 'attempts', ''], ...ledgers]));
  }
  if (record.profiles) {
    out.push('', 'CPU profiles within each measured window, processes busier than 10 % of a core (node bench/profile-summary.ts reads more)');
    for (const [scenario, r] of withUsage) {
      out.push(`  ${scenario}`);
      for (const [name, p] of Object.entries(record.profiles)) {
        const s = p.by_scenario[scenario];
        if (!s || (r.usage?.processes[name]?.cpu_pct ?? 0) < 10) continue;
        out.push(`    ${name} (${fmt(s.busy_ms)} ms busy): ${s.by_package.slice(0, 5).map((x) => `${x.name} ${x.self_pct} %`).join(', ')}`);
        for (const f of s.top_functions.slice(0, 3)) out.push(`      ${String(f.self_pct).padStart(5)} %  ${f.name}`);
      }
    }
  }
  out.push('', record.ok ? 'every delivery accounted for' : `FAILED:\n${record.problems.map((p) => `  - ${p.replaceAll('\n', '\n      ')}`).join('\n')}`);
  return out.join('\n');
}
