/**
 * `npm run test:chaos` (full, by hand) and `npm run test:chaos -- --short` (CI): faults under
 * steady load, each scenario accounted for in a delivery ledger; exits 1 when any scenario lost
 * a delivery (or could not be accounted for). scripts/chaos.mjs builds first; by hand, after
 * `npm run build`:
 *
 *   node chaos/main.ts [--short] [--only kafka_restart,hostile_receivers] [--results-dir DIR]
 *
 * It needs no running stack: it starts its own Kafka broker, Postgres cluster and Redis server
 * on free ports (it stops and restarts them), and writes chaos/results/<timestamp>.json.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gitInfo, machineInfo } from '../bench/harness/report.ts';
import { formatTable, runScenario, type ScenarioReport } from './harness/run.ts';
import { chaosServiceEnv, ChaosSystem } from './harness/system.ts';
import { type Mode, SCENARIOS, SIZES } from './scenarios.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const USAGE = `usage: npm run test:chaos [-- options]

  --short               the CI subset at a smaller load (about four minutes)
  --cluster             on a three-node Kafka cluster (replication 3, min.insync.replicas 2):
                        the broker scenarios (broker_kill, broker_rolling_restart,
                        controller_kill), or those --only names
  --only a,b            run only these scenarios (${SCENARIOS.map((s) => s.name).join(', ')})
  --results-dir DIR     where the results JSON goes (chaos/results)
  --stall-seconds N     a scenario stops waiting when nothing moved for this long (60)
  --tenants N           tenants publishing (3), each with ten subscriptions`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

let values;
try {
  values = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    options: {
      short: { type: 'boolean', default: false },
      cluster: { type: 'boolean', default: false },
      only: { type: 'string' },
      'results-dir': { type: 'string' },
      'stall-seconds': { type: 'string', default: '60' },
      tenants: { type: 'string', default: '3' },
      help: { type: 'boolean', default: false },
    },
  }).values;
} catch (err) {
  fail((err as Error).message);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const mode: Mode = values.short ? 'short' : 'full';
const only = (values.only ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const unknown = only.filter((n) => !SCENARIOS.some((s) => s.name === n));
if (unknown.length) fail(`unknown scenario ${unknown.join(', ')}`);
const stallMs = Number(values['stall-seconds']) * 1000;
const tenants = Number(values.tenants);
if (!Number.isInteger(stallMs) || stallMs <= 0 || !Number.isInteger(tenants) || tenants < 1) fail('--stall-seconds and --tenants take positive whole numbers');
const cluster = values.cluster;
const needCluster = SCENARIOS.filter((s) => s.cluster && only.includes(s.name)).map((s) => s.name);
if (!cluster && needCluster.length) fail(`${needCluster.join(', ')} need --cluster`);
const scenarios = SCENARIOS.filter((s) => (only.length ? only.includes(s.name) : cluster ? s.cluster : !s.cluster && (mode === 'full' || s.short)));
const sizes = SIZES[mode];
const resultsDir = values['results-dir'] ?? join(ROOT, 'chaos/results');

// kafkajs 2.2.4 computes a negative timer on Node 24 (harmless, clamped to 1 ms), as the services note.
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (w.name !== 'TimeoutNegativeWarning') process.stderr.write(`${w.name}: ${w.message}\n`);
});

const began = Date.now();
const log = (message: string) => process.stdout.write(`[chaos ${Math.round((Date.now() - began) / 1000)} s] ${message}\n`);
const startedAt = new Date();
const machine = machineInfo();
const problems: string[] = [];
const reports = new Map<string, ScenarioReport>();
let system: ChaosSystem | null = null;

process.once('SIGINT', () => {
  log('interrupted; stopping');
  void (system?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
});

log(`${mode} run${cluster ? ' on a three-node Kafka cluster' : ''}, scenarios: ${scenarios.map((s) => s.name).join(', ')}`);
try {
  system = await ChaosSystem.start(mkdtempSync(join(tmpdir(), 'hookstream-chaos-')), tenants, log, cluster ? 3 : 1);
} catch (err) {
  problems.push(`the system did not start: ${(err as Error).message}`);
}
if (system) {
  for (const scenario of scenarios) {
    log(`${scenario.name}: ${scenario.title}`);
    const report = await runScenario(system, scenario, sizes, stallMs, log);
    reports.set(scenario.name, report);
    const l = report.ledger;
    log(`  ${report.ok ? 'ok' : 'FAILED'}: ${l.published_events} events, ${l.planned} pairs = ${l.delivered} delivered + ${l.dead_lettered} dead-lettered + ${l.accounted.filtered} filtered + ${l.accounted.disabled} disabled + ${l.lost} lost; ${l.duplicates} duplicates; settled in ${report.settle_s} s`);
    for (const p of report.problems) log(`  problem: ${p}`);
    problems.push(...report.problems.map((p) => `${scenario.name}: ${p}`));
  }
  log('stopping the services and the private infrastructure');
  await system.stop().catch((err: unknown) => log(`stopping left something behind: ${(err as Error).message}`));
}

const stamp = startedAt.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
const record = {
  schema_version: 1,
  started_at: startedAt.toISOString(),
  finished_at: new Date().toISOString(),
  mode,
  kafka_nodes: cluster ? 3 : 1,
  ok: problems.length === 0 && reports.size === scenarios.length,
  problems,
  machine: { ...machine, loadavg_at_end: machineInfo().loadavg_at_start },
  git: gitInfo(ROOT),
  config: { sizes, stall_s: stallMs / 1000, tenants, service_env: chaosServiceEnv() },
  scenarios: Object.fromEntries(reports),
};
mkdirSync(resultsDir, { recursive: true });
const file = join(resultsDir, `${stamp}.json`);
writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
process.stdout.write(`\n${formatTable(reports)}\n\n${record.ok ? 'lost = 0 in every scenario' : `FAILED:\n${problems.map((p) => `- ${p}`).join('\n')}`}\nresults: ${file.startsWith(ROOT) ? relative(ROOT, file) : file}\n`);
process.exit(record.ok ? 0 : 1);
