#!/usr/bin/env node
// `npm run bench` / `npm run bench:short`: builds, brings up the local stack as `npm test` does
// (the broker if none runs, the database, the topics), then runs bench/main.ts with the given
// arguments. The bench itself works in a database and topic prefix of its own.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './lib.mjs';
import { bringUp } from './stack.mjs';

const args = process.argv.slice(2);
// Help needs no stack.
if (!args.includes('--help')) await bringUp();
const result = spawnSync(process.execPath, [join(ROOT, 'bench/main.ts'), ...args], { stdio: 'inherit', cwd: ROOT });
process.exit(result.status ?? 1);
