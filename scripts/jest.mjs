#!/usr/bin/env node
// Runs one jest tier (unit | integration | e2e) on this Node with ESM support.
// Integration and e2e files run one at a time: they share one broker and one machine.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TIMEOUTS } from './jest-timeouts.mjs';
import { ROOT } from './lib.mjs';

const [tier, ...rest] = process.argv.slice(2);
if (!['unit', 'integration', 'e2e'].includes(tier)) {
  console.error('usage: node scripts/jest.mjs unit|integration|e2e [jest args]');
  process.exit(2);
}
const args = ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', join(ROOT, 'node_modules/jest/bin/jest.js'), '--selectProjects', tier];
if (tier !== 'unit') args.push('--runInBand');
args.push(`--testTimeout=${TIMEOUTS[tier]}`);
const result = spawnSync(process.execPath, [...args, ...rest], { stdio: 'inherit', cwd: ROOT });
process.exit(result.status ?? 1);
