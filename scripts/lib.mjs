// Helpers shared by the repo scripts (start, test, stack). Plain ESM so they run before any build.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const LOCAL_DIR = process.env.HOOKSTREAM_LOCAL_DIR ?? join(ROOT, '.local');

/** Runs a command with inherited output; rejects with the exit code. */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code ?? signal}`)),
    );
  });
}

/**
 * The build: the services and libraries (tsc -b, incremental: a second run with nothing changed
 * takes about a second), then the console's single-page app (Vite, about 2 s).
 */
export async function build() {
  await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.build.json']);
  await run(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'apps/console/vite.config.ts']);
}

/**
 * Computes Nx's project graph (offline, no daemon). The module-boundary lint rule reads it and
 * silently skips itself when it is missing, as it is on a fresh clone.
 */
export async function projectGraph() {
  await run(process.execPath, [join(ROOT, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_SKIP_NX_CACHE: 'true' },
  });
}

/** A value generated once per checkout and kept in .local/ (admin key, demo secret). */
export function localSecret(name, make) {
  mkdirSync(LOCAL_DIR, { recursive: true });
  const file = join(LOCAL_DIR, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const value = make(randomBytes);
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return value;
}

export const defaults = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/hookstream',
  REDIS_URL: 'redis://127.0.0.1:6379',
};

/**
 * A generated file: written, or with `--check` on the command line compared with what is there
 * (exit 1 when it is not current, naming the command that regenerates it).
 */
export function writeGenerated(target, text, command) {
  if (!process.argv.includes('--check')) return writeFileSync(target, text);
  if (!existsSync(target) || readFileSync(target, 'utf8') !== text) {
    console.error(`${relative(ROOT, target)} is not current: run ${command}`);
    process.exit(1);
  }
}
