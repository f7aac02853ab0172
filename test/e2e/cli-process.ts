import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '@hookstream/testing';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the hookstream CLI as a process with `env` over this one's; `npx` runs it the way the
 * README says (through the workspace's bin link) rather than by its file.
 */
export function runCli(args: string[], env: Record<string, string>, opts: { npx?: boolean } = {}): Promise<CliRun> {
  const fullEnv = { ...process.env, PATH: `${join(REPO_ROOT, 'node_modules/.bin')}:${process.env['PATH'] ?? ''}`, ...env };
  const [cmd, argv] = opts.npx ? ['npx', ['--no-install', 'hookstream', ...args]] : [process.execPath, [join(REPO_ROOT, 'apps/cli/bin/hookstream.mjs'), ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: REPO_ROOT, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
