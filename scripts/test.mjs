#!/usr/bin/env node
// `npm test`: build, type-check and lint, bring up the local stack if it is not running,
// then the unit, integration and end-to-end tiers against real Postgres, Redis and Kafka, and
// the short bench and the short chaos suite.
// Ends with one line "N passed, N failed".
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, projectGraph, ROOT, run } from './lib.mjs';
import { bringUp } from './stack.mjs';
import { jestRuns, TIMEOUTS } from './jest-plan.mjs';

const started = Date.now();

/**
 * The compose file and the Kubernetes manifests are validated with Debian's docker-compose and
 * kubectl (no Docker engine or cluster runs here). CI and developer machines are Debian and run
 * as root, so a missing tool is installed; elsewhere its test says what to install. apt's output
 * is kept, and shown only if an install fails.
 */
async function ensureDebianTool([command, ...probe], packages, purpose) {
  const pkgs = [packages].flat();
  if (spawnSync(command, probe, { stdio: 'ignore' }).status === 0) return;
  if (process.getuid?.() !== 0 || spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) {
    console.warn(`${command} is missing and cannot be installed here; the test ${purpose} will fail until it is`);
    return;
  }
  console.log(`installing Debian's ${pkgs.join(', ')} (${purpose}), beside the build`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = await apt(['install', '-y', '-q', ...pkgs], env);
  if (r.code !== 0) {
    await apt(['update', '-q'], env);
    r = await apt(['install', '-y', '-q', ...pkgs], env);
  }
  if (r.code !== 0) console.warn(`installing ${pkgs.join(', ')} failed:\n${r.output.slice(-4000)}`);
}

function apt(args, env) {
  return new Promise((resolve) => {
    const child = spawn('apt-get', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b) => (output += b));
    child.stderr.on('data', (b) => (output += b));
    child.on('error', (err) => resolve({ code: 1, output: `${output}${err.message}` }));
    child.on('close', (code) => resolve({ code, output }));
  });
}
const step = (name) => console.log(`\n=== ${name} (${Math.round((Date.now() - started) / 1000)} s)`);

// Installing is mostly waiting on downloads and dpkg (47 s on a fresh CI machine): it runs one
// package set after another while the build, type-check and lint use the CPU. The stack starts
// after it (below), so the tests, which need the tools, come after it too.
step('tools (in the background)');
const tools = (async () => {
  await ensureDebianTool(['docker-compose', 'version'], 'docker-compose', 'to validate docker-compose.yml');
  await ensureDebianTool(['kubectl', 'version', '--client'], 'kubernetes-client', 'to render deploy/k8s');
  await ensureDebianTool(['chromium', '--version'], 'chromium', 'that renders the API reference page and the web console in a real browser');
  await ensureDebianTool(['mvn', '--version'], 'maven', 'that builds and tests the Java SDK');
  await ensureDebianTool(
    ['/usr/bin/python3', '-c', 'import pytest, pydantic, urllib3, dateutil, typing_extensions, cryptography'],
    ['python3-pytest', 'python3-pydantic', 'python3-urllib3', 'python3-dateutil', 'python3-typing-extensions', 'python3-cryptography'],
    'that tests the Python SDK',
  );
})();
step('build');
await build();
// Type-checking and linting are each one process on one core, and the stack mostly waits for
// Kafka's JVM: side by side they take the time of the longest.
step('typecheck, lint and the local stack, side by side');
await Promise.all([
  (async () => {
    await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit']);
    // The console's single-page app: DOM and JSX, so a project of its own (npm run typecheck runs both).
    await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'apps/console/src/web/tsconfig.json']);
  })(),
  (async () => {
    await projectGraph();
    await run(process.execPath, [join(ROOT, 'node_modules/eslint/bin/eslint.js'), '.', '--max-warnings', '0']);
    await run(process.execPath, [join(ROOT, 'scripts/check-import-cycles.mjs')]);
  })(),
  // After the tools: an install may switch the machine's java (maven's dependencies), which the
  // broker must not be starting on.
  tools.then(() => bringUp({ compile: false })),
]);

const out = mkdtempSync(join(tmpdir(), 'hookstream-jest-'));
let passed = 0;
let failed = 0;
let ok = true;
for (const tier of ['unit', 'integration', 'e2e']) {
  for (const [label, runArgs] of jestRuns(tier)) {
    step(`${label} tests`);
    const file = join(out, `${label.replace(/\W+/g, '-')}.json`);
    const args = [
      '--experimental-vm-modules',
      '--no-warnings=ExperimentalWarning',
      join(ROOT, 'node_modules/jest/bin/jest.js'),
      '--selectProjects',
      tier,
      '--json',
      `--outputFile=${file}`,
      ...runArgs,
      `--testTimeout=${TIMEOUTS[tier]}`,
    ];
    const r = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: ROOT, env: { ...process.env, CI: process.env.CI ?? 'true' } });
    try {
      const summary = JSON.parse(readFileSync(file, 'utf8'));
      passed += summary.numPassedTests;
      failed += summary.numFailedTests + summary.numRuntimeErrorTestSuites;
    } catch {
      failed += 1;
    }
    if (r.status !== 0) ok = false;
  }
}
// The short bench runs the whole system under load. Its figures are informative (a missed target
// fails nothing); it fails when a delivery is lost or not recorded, or a phase cannot complete.
// Its results file goes to the temporary folder: committed results come from `npm run bench`.
step('bench (short)');
const bench = spawnSync(process.execPath, [join(ROOT, 'bench/main.ts'), '--short', '--results-dir', join(out, 'bench')], { stdio: 'inherit', cwd: ROOT });
if (bench.status === 0) passed += 1;
else {
  failed += 1;
  ok = false;
}

// The short chaos suite: faults under load on a private Kafka, Postgres and Redis; it fails when
// any scenario loses a delivery. Its results file goes to the temporary folder, like the bench's.
step('chaos (short)');
const chaos = spawnSync(process.execPath, [join(ROOT, 'chaos/main.ts'), '--short', '--results-dir', join(out, 'chaos')], { stdio: 'inherit', cwd: ROOT });
if (chaos.status === 0) passed += 1;
else {
  failed += 1;
  ok = false;
}

console.log(`\nfinished in ${Math.round((Date.now() - started) / 1000)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
