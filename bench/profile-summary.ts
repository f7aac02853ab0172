/**
 * Summarises CPU profiles written by `npm run bench -- --cpu-prof` (or any `node --cpu-prof`):
 * for each .cpuprofile, the functions with the most self time and the same time per package.
 *
 *   node bench/profile-summary.ts bench/profiles/<run>                 whole profiles
 *   node bench/profile-summary.ts --top 30 --results bench/results/<run>.json --scenario pipeline \
 *        bench/profiles/<run>/dispatcher                               one scenario's window
 *
 * For a flame graph, open the .cpuprofile in Chrome DevTools (Performance, "Load profile") or
 * in https://www.speedscope.app.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type CpuProfile, summariseProfile } from './harness/profile.ts';
import type { BenchRecord } from './harness/report.ts';

const USAGE = 'usage: node bench/profile-summary.ts [--top N] [--results run.json --scenario NAME] <file.cpuprofile | folder>...';
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '20' }, results: { type: 'string' }, scenario: { type: 'string' } },
});
const top = Number(values.top);
if (positionals.length === 0 || !Number.isInteger(top) || top < 1 || (values.results === undefined) !== (values.scenario === undefined)) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

let window: { from: number; to: number } | undefined;
if (values.results !== undefined && values.scenario !== undefined) {
  const record = JSON.parse(readFileSync(values.results, 'utf8')) as BenchRecord;
  window = record.scenarios[values.scenario]?.usage?.monotonic_us;
  if (!window) {
    process.stderr.write(`${values.results} has no measured window for a scenario "${values.scenario}"\n`);
    process.exit(2);
  }
}

function profilesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((entry) => {
      const full = join(path, entry);
      return statSync(full).isDirectory() ? profilesUnder(full) : entry.endsWith('.cpuprofile') ? [full] : [];
    });
}

for (const file of positionals.flatMap(profilesUnder)) {
  const s = summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, top, window);
  const lines = [
    `${file}: ${s.duration_ms} ms ${window ? `in the ${values.scenario ?? ''} window` : 'profiled'}, ${s.busy_ms} ms busy`,
    '  self time by package:',
    ...s.by_package.map((p) => `    ${String(p.self_pct).padStart(5)} %  ${String(p.self_ms).padStart(7)} ms  ${p.name}`),
    `  top ${top} functions by self time:`,
    ...s.top_functions.map((f) => `    ${String(f.self_pct).padStart(5)} %  ${String(f.self_ms).padStart(7)} ms  ${f.name}`),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
