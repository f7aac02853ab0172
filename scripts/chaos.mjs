#!/usr/bin/env node
// `npm run test:chaos` (full, by hand) / `npm run test:chaos -- --short` (CI): builds, then runs
// chaos/main.ts with the given arguments. The suite needs no running stack: it starts a Kafka
// broker, a Postgres cluster and a Redis server of its own (it stops and restarts them), so the
// machine's shared ones are never touched.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { build, ROOT } from './lib.mjs';

const args = process.argv.slice(2);
if (!args.includes('--help')) await build();
const result = spawnSync(process.execPath, [join(ROOT, 'chaos/main.ts'), ...args], { stdio: 'inherit', cwd: ROOT });
process.exit(result.status ?? 1);
