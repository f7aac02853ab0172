#!/usr/bin/env node
// `npm run test:kafka-3.9`: the end-to-end tier against the oldest Kafka line Hookstream supports
// (3.9; KAFKA_COMPAT_VERSION picks another release), on a private broker of its own: free ports, a
// temporary state folder, the checkout's jar cache. `npm test` runs everything on the pom's 4.x
// broker; CI runs both (.ci/run). Ends with one line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TIMEOUTS } from './jest-plan.mjs';
import { build, LOCAL_DIR, ROOT, run } from './lib.mjs';

const version = process.env.KAFKA_COMPAT_VERSION ?? '3.9.1';
const started = Date.now();

await build();
const { freePort } = await import('@hookstream/testing');

const state = mkdtempSync(join(tmpdir(), `hookstream-kafka-${version}-`));
const port = await freePort();
const env = {
  ...process.env,
  KAFKA_VERSION: version,
  HOOKSTREAM_LOCAL_DIR: state,
  KAFKA_PORT: String(port),
  KAFKA_CONTROLLER_PORT: String(await freePort()),
  KAFKA_LIB_DIR: join(LOCAL_DIR, 'kafka', `lib-${version}`),
};
delete env.KAFKA_BROKERS;
const kafkaSh = join(ROOT, 'deploy/local/kafka.sh');
let passed = 0;
let failed = 0;
try {
  await run('bash', [kafkaSh, 'start'], { env });
  const out = join(state, 'e2e.json');
  const testEnv = { ...process.env, KAFKA_BROKERS: `127.0.0.1:${port}`, KAFKA_VERSION: version, CI: process.env.CI ?? 'true' };
  const args = [
    '--experimental-vm-modules',
    '--no-warnings=ExperimentalWarning',
    join(ROOT, 'node_modules/jest/bin/jest.js'),
    '--selectProjects',
    'e2e',
    '--runInBand',
    '--json',
    `--outputFile=${out}`,
    `--testTimeout=${TIMEOUTS.e2e}`,
  ];
  console.log(`\n=== e2e tests on Apache Kafka ${version} (127.0.0.1:${port})`);
  spawnSync(process.execPath, args, { stdio: 'inherit', cwd: ROOT, env: testEnv });
  try {
    const summary = JSON.parse(readFileSync(out, 'utf8'));
    passed = summary.numPassedTests;
    failed = summary.numFailedTests + summary.numRuntimeErrorTestSuites;
  } catch {
    failed += 1;
  }
} catch (err) {
  console.error(`[kafka ${version}] ${err.message}`);
  failed += 1;
} finally {
  await run('bash', [kafkaSh, 'stop'], { env }).catch(() => undefined);
  rmSync(state, { recursive: true, force: true });
}
console.log(`\nfinished in ${Math.round((Date.now() - started) / 1000)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
