import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from '../src/processes.js';

/**
 * The architecture rules are lint rules; this proves they fire. Probe files are written inside
 * real projects (so Nx attributes them), linted with the repository's config, and removed.
 */
describe('lint-enforced module boundaries', () => {
  const probes: string[] = [];
  const probe = (rel: string, code: string) => {
    const file = join(REPO_ROOT, rel);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, code);
    probes.push(file);
    return file;
  };

  afterAll(() => {
    for (const p of probes) rmSync(p, { force: true });
  });

  // ESLint runs in its own process, as `npm run lint` does (its TypeScript service keeps timers alive).
  function messagesFor(file: string): string[] {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', file], { cwd: REPO_ROOT, encoding: 'utf8' });
    const [result] = JSON.parse(r.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
    return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`);
  }

  it('refuses an app importing another app, or libs/testing', () => {
    const file = probe(
      'apps/dlq-inspector/src/__boundary_probe__.ts',
      "import { AppModule } from '@hookstream/dispatcher';\nimport { TestReceiver } from '@hookstream/testing';\nexport const probe = [AppModule, TestReceiver];\n",
    );
    const messages = messagesFor(file);
    expect(messages.filter((m) => m.startsWith('@nx/enforce-module-boundaries')).length).toBeGreaterThanOrEqual(2);
  });

  it('refuses I/O and I/O libs in libs/domain', () => {
    const file = probe(
      'libs/domain/src/__boundary_probe__.ts',
      "import { readFileSync } from 'node:fs';\nimport { KafkaProducer } from '@hookstream/kafka';\nexport const probe = [readFileSync, KafkaProducer];\n",
    );
    const messages = messagesFor(file);
    expect(messages.some((m) => m.startsWith('no-restricted-imports'))).toBe(true);
    expect(messages.some((m) => m.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
  });
});
