#!/usr/bin/env node
// Fails when relative imports inside apps/*/src or libs/*/src form a cycle: a cycle makes module
// initialisation order matter (a class can be undefined where it is imported) and says two files
// are one concern split in two. Part of `npm run lint`, so CI refuses a new one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.{1,2}\/[^']+)'/g;

function sources(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const files = ['apps', 'libs'].flatMap((top) =>
  readdirSync(join(ROOT, top))
    .map((pkg) => join(ROOT, top, pkg, 'src'))
    .filter((src) => statSync(src, { throwIfNoEntry: false })?.isDirectory())
    .flatMap(sources),
);
const known = new Set(files);
const edges = new Map(
  files.map((file) => {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(IMPORT)]
      // `import type` is erased at runtime, but a type-only cycle still ties two files together.
      .map((m) => resolve(dirname(file), m[1].replace(/\.js$/, '.ts')))
      .filter((t) => known.has(t));
    return [file, targets];
  }),
);

const cycles = [];
const state = new Map(); // 1 visiting, 2 done
const stack = [];
function visit(file) {
  state.set(file, 1);
  stack.push(file);
  for (const next of edges.get(file) ?? []) {
    if (state.get(next) === 1) cycles.push([...stack.slice(stack.indexOf(next)), next]);
    else if (!state.has(next)) visit(next);
  }
  stack.pop();
  state.set(file, 2);
}
for (const file of files) if (!state.has(file)) visit(file);

if (cycles.length) {
  console.error(`import cycles (${cycles.length}):`);
  for (const c of cycles) console.error(`  ${c.map((f) => relative(ROOT, f)).join(' → ')}`);
  process.exit(1);
}
console.log(`no import cycles among ${files.length} files`);
