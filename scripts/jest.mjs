#!/usr/bin/env node
// Runs one jest tier (unit | integration | e2e) on this Node with ESM support, as npm test runs it
// (scripts/jest-plan.mjs). Given files or patterns, runs just those, one at a time.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { jestRuns, TIMEOUTS } from './jest-plan.mjs';
import { ROOT } from './lib.mjs';

const [tier, ...rest] = process.argv.slice(2);
if (!['unit', 'integration', 'e2e'].includes(tier)) {
  console.error('usage: node scripts/jest.mjs unit|integration|e2e [jest args]');
  process.exit(2);
}
const base = ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', join(ROOT, 'node_modules/jest/bin/jest.js'), '--selectProjects', tier, `--testTimeout=${TIMEOUTS[tier]}`];
const runs = rest.length > 0 ? [[tier, [...(tier === 'unit' ? [] : ['--runInBand']), ...rest]]] : jestRuns(tier);
let status = 0;
for (const [, args] of runs) {
  const result = spawnSync(process.execPath, [...base, ...args], { stdio: 'inherit', cwd: ROOT });
  if (result.status !== 0) status = result.status ?? 1;
}
process.exit(status);
