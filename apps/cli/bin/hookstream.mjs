#!/usr/bin/env node
// The `hookstream` command: runs the compiled CLI (npm run build writes apps/cli/dist).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('hookstream: the CLI is not built yet; run `npm run build` in the repository first\n');
  process.exit(2);
}
await import(entry.href);
