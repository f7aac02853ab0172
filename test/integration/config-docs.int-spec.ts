import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { REPO_ROOT } from '@hookstream/testing';

/** docs/configuration.md is generated from the services' zod schemas: it must say what they accept. */
describe('docs/configuration.md', () => {
  const check = (env: Record<string, string> = {}) =>
    execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/config-table.mjs'), '--check'], { env: { ...process.env, ...env }, stdio: 'pipe' });

  it('is current with the config schemas', () => {
    expect(() => check()).not.toThrow();
  });

  it('is refused when a variable is missing from it', () => {
    const current = readFileSync(join(REPO_ROOT, 'docs/configuration.md'), 'utf8');
    const stale = join(mkdtempSync(join(tmpdir(), 'hookstream-config-')), 'configuration.md');
    writeFileSync(stale, current.replace(/^\| `SEND_CONCURRENCY` .*\n/m, ''));
    expect(() => check({ HOOKSTREAM_CONFIG_DOC: stale })).toThrow(/not current/);
  });

  it('names every variable each service validates, with its default', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs/configuration.md'), 'utf8');
    expect(doc).toMatch(/^\| `SEND_CONCURRENCY` \| integer 1–10000 \| `256` \| dispatcher \|/m);
    expect(doc).toMatch(/^\| `ADMIN_API_KEY` \| text \| none \| all \|/m);
  });
});
