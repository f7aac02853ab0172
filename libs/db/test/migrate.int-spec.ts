import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { ensureDatabase, migrate, MIGRATIONS_DIR } from '../src/migrate.js';

describe('migrate', () => {
  const base = new URL(process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/hookstream');
  const name = `hookstream_t_migrate_${randomBytes(4).toString('hex')}`;
  base.pathname = `/${name}`;
  const url = base.toString();
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'));

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: url.replace(`/${name}`, '/postgres') });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  it('creates the database once, applies every file once, and refuses an edited migration', async () => {
    expect(await ensureDatabase(url)).toBe(true);
    expect(await ensureDatabase(url)).toBe(false);
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });

    const first = await migrate(url, dir);
    expect(first.applied).toContain('0001_initial.sql');
    // Several processes starting at once: the advisory lock makes them take turns.
    const again = await Promise.all([migrate(url, dir), migrate(url, dir)]);
    expect(again.map((r) => r.applied)).toEqual([[], []]);

    writeFileSync(join(dir, '0001_initial.sql'), '-- edited after landing\n', { flag: 'a' });
    await expect(migrate(url, dir)).rejects.toThrow(/0001_initial\.sql changed after it was applied/);
  });
});
