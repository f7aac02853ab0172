import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { documentedForeignReads, documentedOwnership, REPO_ROOT } from '@hookstream/testing';

/** Tables a source file's SQL names (uppercase keywords, as every statement here is written). */
function tablesIn(source: string, known: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  for (const m of source.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+([a-z_][a-z0-9_]*)/g)) if (m[1] && known.has(m[1])) found.add(m[1]);
  return found;
}

/**
 * docs/architecture.md lists, per reader, the only files that read another service's tables and
 * which tables they read. This holds it to the code: a repository that starts reading another
 * service's table, or stops, fails here until the table says so.
 */
describe("docs/architecture.md's foreign reads", () => {
  const ownership = documentedOwnership();
  const ownerOf = new Map([...ownership].flatMap(([service, tables]) => tables.map((t) => [t, service] as const)));
  const known = new Set(ownerOf.keys());
  const rows = documentedForeignReads(known);
  const sources = execFileSync('git', ['ls-files', 'apps/*/src/*.ts', 'libs/db/src/*.ts'], { cwd: REPO_ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && !f.endsWith('.spec.ts') && !f.includes('/migrations/') && !f.includes('/entities/'));

  it('parses the tables it checks against', () => {
    expect(known.size).toBeGreaterThan(20);
    expect(rows.length).toBeGreaterThan(4);
  });

  it('lists every file that reads another service\'s tables, with exactly the tables it reads', () => {
    const actual: Record<string, string[]> = {};
    for (const file of sources) {
      const app = /^apps\/([a-z-]+)\//.exec(file)?.[1];
      // libs/db serves every service: each table it names belongs to one of them.
      const foreign = [...tablesIn(readFileSync(`${REPO_ROOT}${file}`, 'utf8'), known)].filter((t) => app === undefined || ownerOf.get(t) !== app);
      if (foreign.length > 0) actual[file] = foreign.sort();
    }
    const documented: Record<string, string[]> = {};
    for (const row of rows) {
      const read = new Set(row.files.flatMap((f) => actual[f] ?? []));
      for (const f of row.files) documented[f] = (actual[f] ?? []).filter((t) => row.tables.includes(t)).sort();
      // A table the row names that none of its files reads any more is stale.
      expect({ row: row.files, stale: row.tables.filter((t) => !read.has(t)) }).toEqual({ row: row.files, stale: [] });
    }
    expect(actual).toEqual(documented);
  });
});
