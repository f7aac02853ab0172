import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { formatSecret, signStandardWebhook } from '@hookstream/domain';
import { REPO_ROOT } from '@hookstream/testing';

/**
 * scripts/receiver.mjs is the demo endpoint of `npm start` and of docker-compose's `receiver`
 * service, where only production dependencies exist: it must verify signatures on its own.
 */
describe('the demo receiver (scripts/receiver.mjs)', () => {
  let child: ChildProcess | null = null;
  afterEach(() => {
    child?.kill('SIGTERM');
    child = null;
  });

  /** Starts it on a free port; resolves with its URL and the lines it prints. */
  async function start(env: Record<string, string>): Promise<{ url: string; lines: string[] }> {
    const proc = spawn(process.execPath, [join(REPO_ROOT, 'scripts/receiver.mjs')], { env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    child = proc;
    const lines: string[] = [];
    const url = await new Promise<string>((resolve, reject) => {
      proc.on('exit', (code) => reject(new Error(`receiver exited with ${code}`)));
      proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        for (const line of chunk.split('\n').filter(Boolean)) {
          lines.push(line);
          const m = /listening on (http:\/\/[^ ]+)/.exec(line);
          if (m?.[1]) resolve(m[1]);
        }
      });
    });
    return { url, lines };
  }

  const logged = async (lines: string[], n: number) => {
    for (let i = 0; i < 200 && lines.length < n; i++) await new Promise((r) => setTimeout(r, 10));
    return lines.slice(1).map((l) => JSON.parse(l) as { level: string; msg: string; 'webhook-id'?: string });
  };

  it('says which deliveries carry a valid signature, and which do not', async () => {
    const secret = formatSecret(randomBytes(32));
    const { url, lines } = await start({ WEBHOOK_SECRET: secret });
    const body = JSON.stringify({ type: 'order.placed', data: { id: 1 } });
    const now = Math.floor(Date.now() / 1000);
    const signed = signStandardWebhook([secret], 'msg_1', now, body);
    const good = await fetch(url, { method: 'POST', headers: { ...signed, 'content-type': 'application/json' }, body });
    const forged = await fetch(url, { method: 'POST', headers: { ...signed, 'webhook-id': 'msg_2' }, body });
    expect([good.status, forged.status]).toEqual([200, 200]);
    const [first, second] = await logged(lines, 3);
    expect(first).toMatchObject({ level: 'info', 'webhook-id': 'msg_1' });
    expect(first?.msg).toContain('signature verified');
    expect(second).toMatchObject({ level: 'warn', 'webhook-id': 'msg_2' });
    expect(second?.msg).toContain('SIGNATURE INVALID');
  });

  it('imports only what the production image holds', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const source = readFileSync(join(REPO_ROOT, 'scripts/receiver.mjs'), 'utf8');
    const imports = [...source.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1] ?? '');
    expect(imports.length).toBeGreaterThan(0);
    // libs/testing pulls dev-only packages (fast-check), pruned from the image.
    const shipped = (name: string) => name.startsWith('node:') || ['@hookstream/domain', '@hookstream/contracts'].includes(name) || name in pkg.dependencies;
    expect(imports.filter((name) => !shipped(name))).toEqual([]);
  });

  it('fails on purpose when asked, to show retries', async () => {
    const { url } = await start({ RECEIVER_FAILURE_RATE: '1' });
    const res = await fetch(url, { method: 'POST', body: '{}' });
    expect(res.status).toBe(503);
  });
});
