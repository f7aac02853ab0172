/**
 * `npm run bench` (full) and `npm run bench:short` (CI): the whole system on this machine,
 * measured against the raw ceilings of its HTTP client and of Kafka, every delivery accounted
 * for. scripts/bench.mjs builds and brings up the local stack first; by hand, after
 * `npm run build` and `npm run stack`:
 *
 *   node bench/main.ts [--short] [--cpu-prof] [--only pipeline,fanout] …   (--help lists them)
 *
 * Writes bench/results/<timestamp>.json and prints a summary. Exits 1 only when a delivery was
 * lost or not recorded, or a phase could not complete; a missed target is reported, not failed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { epochMs } from './harness/clock.ts';
import { parseOptions, USAGE, UsageError } from './harness/options.ts';
import { type CpuProfile, type ProfileSummary, summariseProfile } from './harness/profile.ts';
import { type BenchRecord, evaluateTargets, formatReport, gitInfo, machineInfo, ratios, roundFigures, roundUsage, writeResults } from './harness/report.ts';
import type { ScenarioResult } from './harness/scenario.ts';
import { round } from './harness/stats.ts';
import { BenchSystem } from './harness/system.ts';
import { SCENARIOS } from './scenarios/index.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

let options;
try {
  options = parseOptions(process.argv.slice(2), join(ROOT, 'bench/results'));
  const unknown = options.only.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length) throw new UsageError(`unknown scenario ${unknown.join(', ')}; there are ${SCENARIOS.map((s) => s.name).join(', ')}`);
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  process.stderr.write(`${err.message ? `${err.message}\n\n` : ''}${USAGE}\n`);
  process.exit(err.message ? 2 : 0);
}

// kafkajs 2.2.4 computes a negative timer on Node 24 (harmless, clamped to 1 ms), as the services note.
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (w.name !== 'TimeoutNegativeWarning') process.stderr.write(`${w.name}: ${w.message}\n`);
});

const began = epochMs();
const log = (message: string) => process.stdout.write(`[bench ${Math.round((epochMs() - began) / 1000)} s] ${message}\n`);
const startedAt = new Date();
const stamp = startedAt.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
const profileDir = options.cpuProf ? join(ROOT, 'bench/profiles', stamp) : null;
const scenarios = SCENARIOS.filter((s) => (options.only.length > 0 ? options.only.includes(s.name) : options.mode === 'full' || !s.fullOnly));
const machine = machineInfo();
const git = gitInfo(ROOT);
const problems: string[] = [];
const results = new Map<string, ScenarioResult>();
let runUsage: BenchRecord['run_usage'] = null;
let system: BenchSystem | null = null;

// Ctrl-C: stop the processes and drop the run's database and topics before leaving.
process.once('SIGINT', () => {
  log('interrupted; stopping');
  void (system?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
});

log(`${options.mode} run, scenarios: ${scenarios.map((s) => s.name).join(', ')}${profileDir ? `; CPU profiles into ${relative(ROOT, profileDir)}` : ''}`);
try {
  system = await BenchSystem.start(options, profileDir, log);
} catch (err) {
  problems.push(`the system did not start: ${(err as Error).message}`);
}
if (system) {
  const run = system.meter.start();
  // Once a service is down or not ready, every later phase would only stall in turn.
  let broken: string[] = [];
  const skipped: string[] = [];
  for (const scenario of scenarios) {
    if (broken.length) {
      skipped.push(scenario.name);
      continue;
    }
    log(scenario.title);
    const before = problems.length;
    try {
      const result = roundFigures(await scenario.run({ system, options, results, runStamp: stamp, log }));
      if (result.ledger?.problems.length) result.notes = [...(result.notes ?? []), 'the phase failed: its figures cover only what arrived, and mean little'];
      results.set(scenario.name, result);
      problems.push(...(result.ledger?.problems ?? []).map((p) => `${scenario.name}: ${p}`));
      log(`  ${Object.entries(result.figures).map(([k, v]) => `${k} ${v ?? '–'}`).join(', ')}`);
    } catch (err) {
      problems.push(`${scenario.name} could not complete: ${(err as Error).message}`);
      results.set(scenario.name, { figures: {}, notes: [`could not complete: ${(err as Error).message}`] });
      log(`  could not complete: ${(err as Error).message}`);
      await system.receiver.reset().catch(() => undefined);
    }
    if (problems.length > before) broken = await system.diagnose();
  }
  if (skipped.length) problems.push(`skipped ${skipped.join(', ')}, since a service is broken:\n${broken.join('\n')}`);
  const usage = run.stop();
  const ours = Object.values(usage.processes).reduce((sum, p) => sum + p.cpu_s, 0);
  runUsage = { ...roundUsage(usage), outside_bench_cpu_pct: round(Math.max(0, ((usage.machine.busy_cpu_s - ours) / (usage.wall_s * usage.machine.cores)) * 100), 0) };
  log('stopping the services');
  await system.stop().catch((err: unknown) => log(`stopping left something behind: ${(err as Error).message}`));
}

const ratioFigures = ratios(results);
const record: BenchRecord = {
  schema_version: 1,
  started_at: startedAt.toISOString(),
  finished_at: new Date().toISOString(),
  mode: options.mode,
  ok: problems.length === 0,
  problems,
  machine: { ...machine, loadavg_at_end: machineInfo().loadavg_at_start },
  git,
  config: {
    sizes: options.sizes,
    send_concurrency: options.sendConcurrency,
    receiver_ports: options.receiverPorts,
    body_bytes: options.bodyBytes,
    cpu_prof: options.cpuProf,
    stall_s: options.stallMs / 1000,
    publish_via: 'hookstream.ingest (Kafka, acks=all, keyed by tenant), as internal services publish',
    partitions: system?.partitions ?? null,
    service_env: system?.env ?? null,
  },
  scenarios: Object.fromEntries(results),
  ratios: Object.fromEntries(Object.entries(ratioFigures).map(([k, v]) => [k, v === null ? null : round(v)])),
  targets: evaluateTargets(results, ratioFigures),
  run_usage: runUsage,
  profiles: profileDir ? summariseProfiles(profileDir) : null,
};
const file = writeResults(options.resultsDir, stamp, record);
process.stdout.write(`\n${formatReport(record, new Map(SCENARIOS.map((s) => [s.name, s.title])))}\n\nresults: ${file.startsWith(ROOT) ? relative(ROOT, file) : file}\n`);
process.exit(record.ok ? 0 : 1);

/**
 * Each process's profile (the largest .cpuprofile of its folder: a process writes one when it
 * exits) cut to every scenario's measured window, so start-up never drowns the phase.
 */
function summariseProfiles(dir: string): NonNullable<BenchRecord['profiles']> {
  const out: NonNullable<BenchRecord['profiles']> = {};
  for (const name of readdirSync(dir)) {
    const file = readdirSync(join(dir, name))
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(dir, name, f))
      .sort((a, b) => statSync(b).size - statSync(a).size)[0];
    if (!file) continue;
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const byScenario: Record<string, ProfileSummary> = {};
    for (const [scenario, r] of results) if (r.usage) byScenario[scenario] = summariseProfile(profile, 15, r.usage.monotonic_us);
    out[name] = { file: relative(ROOT, file), by_scenario: byScenario };
  }
  return out;
}
