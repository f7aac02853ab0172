import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { REPO_ROOT } from '@hookstream/testing';

/**
 * No Docker engine runs here and no base image can be pulled (Debian's buildah could build without
 * a daemon, but not FROM node:24 offline), so the Dockerfile is linted instead of built. The
 * checks aim at what has broken it before: a workspace added to package.json but not copied
 * before `npm ci` (npm then refuses the lockfile), a file copied that the build never produces or
 * the context does not hold, and a script copied without the modules it imports.
 */
const DOCKERFILE = 'deploy/docker/Dockerfile';

interface Instruction {
  line: number;
  op: string;
  args: string;
  stage: string;
}

/** The Dockerfile's instructions, continuation lines joined, each with the stage it belongs to. */
function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let stage = '';
  let pending = '';
  let start = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) return;
    if (!pending) start = i + 1;
    pending += (pending ? ' ' : '') + line.replace(/\\$/, '').trim();
    if (line.endsWith('\\')) return;
    const [op = '', ...rest] = pending.split(/\s+/);
    const args = rest.join(' ');
    if (op.toUpperCase() === 'FROM') stage = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? '';
    out.push({ line: start, op: op.toUpperCase(), args, stage });
    pending = '';
  });
  return out;
}

/** The workspace folders package.json declares, as they exist on disk (apps/x, libs/y). */
function workspaces(): string[] {
  const globs = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
  return globs.flatMap((g) => {
    const parent = g.replace(/\/\*$/, '');
    return readdirSync(join(REPO_ROOT, parent), { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(REPO_ROOT, parent, d.name, 'package.json')))
      .map((d) => `${parent}/${d.name}`);
  });
}

/** COPY's sources and destination, without flags. */
function copyParts(args: string): { flags: string[]; sources: string[]; dest: string } {
  const words = args.split(/\s+/);
  const flags = words.filter((w) => w.startsWith('--'));
  const paths = words.filter((w) => !w.startsWith('--'));
  return { flags, sources: paths.slice(0, -1), dest: paths[paths.length - 1] ?? '' };
}

describe('deploy/docker/Dockerfile (linted: no Docker engine here)', () => {
  const text = readFileSync(join(REPO_ROOT, DOCKERFILE), 'utf8');
  const all = instructions(text);
  const build = all.filter((i) => i.stage === 'build');
  const npmCi = build.findIndex((i) => i.op === 'RUN' && /\bnpm ci\b/.test(i.args));

  it('copies every workspace package.json before npm ci, so the lockfile installs', () => {
    expect(npmCi).toBeGreaterThan(0);
    const copied = new Set(build.slice(0, npmCi).filter((i) => i.op === 'COPY').flatMap((i) => copyParts(i.args).sources));
    const missing = workspaces()
      .map((w) => `${w}/package.json`)
      .filter((p) => !copied.has(p));
    expect(missing).toEqual([]);
  });

  it('copies from the build context only what exists and .dockerignore lets through', () => {
    const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    const fromContext = all.filter((i) => i.op === 'COPY' && !copyParts(i.args).flags.some((f) => f.startsWith('--from')));
    expect(fromContext.length).toBeGreaterThan(0);
    for (const i of fromContext) {
      for (const src of copyParts(i.args).sources) {
        expect({ src, line: i.line, exists: existsSync(join(REPO_ROOT, src)) }).toEqual({ src, line: i.line, exists: true });
        const hit = ignored.find((pattern) => posix.matchesGlob(src, pattern) || posix.matchesGlob(src, `${pattern}/**`));
        expect({ src, ignoredBy: hit ?? null }).toEqual({ src, ignoredBy: null });
      }
    }
  });

  it('copies each script together with the local modules it imports', () => {
    const scripts = all.filter((i) => i.op === 'COPY').flatMap((i) => copyParts(i.args).sources.filter((s) => s.startsWith('scripts/')));
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      const imports = [...readFileSync(join(REPO_ROOT, script), 'utf8').matchAll(/^import .* from '(\.{1,2}\/[^']+)';$/gm)].map((m) => posix.join(dirname(script), m[1] ?? ''));
      for (const dep of imports) expect({ script, dep, copied: scripts.includes(dep) }).toEqual({ script, dep, copied: true });
    }
  });

  it('runs a file the build produces, as a non-root user, from a pinned base image', () => {
    const runtime = all.filter((i) => i.stage === 'runtime');
    expect(runtime.find((i) => i.op === 'USER')?.args).toBe('node');
    const cmd = runtime.find((i) => i.op === 'CMD')?.args ?? '';
    // The build compiles each app to apps/<app>/dist/main.js (tsconfig outDir dist, rootDir src).
    expect(cmd).toContain('apps/$APP/dist/main.js');
    for (const app of workspaces().filter((w) => w.startsWith('apps/') && w !== 'apps/cli')) {
      const tsconfig = readFileSync(join(REPO_ROOT, app, 'tsconfig.json'), 'utf8');
      expect({ app, outDir: /"outDir":\s*"dist"/.test(tsconfig), main: existsSync(join(REPO_ROOT, app, 'src/main.ts')) }).toEqual({ app, outDir: true, main: true });
    }
    const base = /^ARG NODE_IMAGE=(\S+)$/m.exec(text)?.[1] ?? '';
    expect(base).toMatch(/^node:\d+(\.\d+)*-[a-z]+(-slim)?$/);
    expect(text).not.toMatch(/:latest\b/);
    expect(text).not.toMatch(/\bnpm install\b/);
    expect(text).not.toMatch(/^ADD /m);
  });
});
