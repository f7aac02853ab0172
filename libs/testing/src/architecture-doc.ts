import { readFileSync } from 'node:fs';
import { type DbService, SERVICE_DB_ROLES } from '@hookstream/db';
import { REPO_ROOT } from './processes.js';

/** One `## ` section of docs/architecture.md, heading included. */
function section(heading: string): string {
  const doc = readFileSync(`${REPO_ROOT}docs/architecture.md`, 'utf8');
  const start = doc.indexOf(`## ${heading}`);
  if (start === -1) throw new Error(`docs/architecture.md has no "## ${heading}" section`);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end === -1 ? undefined : end);
}

/** "Ownership of tables", as service → the tables it owns. */
export function documentedOwnership(): Map<DbService, string[]> {
  const owners = new Map<DbService, string[]>();
  for (const line of section('Ownership of tables').split('\n').slice(1)) {
    const m = /^\| ([a-z-]+) \| (.+) \|$/.exec(line);
    if (!m?.[1] || !m[2] || !(m[1] in SERVICE_DB_ROLES)) continue;
    const tables = m[2].replace(/\([^)]*\)/g, '').split(',').map((t) => t.trim()).filter(Boolean);
    owners.set(m[1] as DbService, tables);
  }
  return owners;
}

/** A row of "Who reads another service's tables": the files that read them, and which tables. */
export interface DocumentedForeignRead {
  reader: string;
  /** Paths from the repository root. */
  files: string[];
  tables: string[];
}

/**
 * "Who reads another service's tables". A module cell names files relative to the reader's
 * `apps/<reader>/src`, or, after a `libs/<name>` prefix, relative to that library's `src`.
 */
export function documentedForeignReads(knownTables: ReadonlySet<string>): DocumentedForeignRead[] {
  const rows: DocumentedForeignRead[] = [];
  for (const line of section("Who reads another service's tables").split('\n')) {
    const cells = /^\| ([^|]+) \| ([^|]+) \| ([^|]+) \|$/.exec(line);
    if (!cells?.[1] || !cells[2] || !cells[3] || cells[1].trim() === 'reader' || cells[1].startsWith('---')) continue;
    const reader = cells[1].trim();
    const lib = /^libs\/([a-z-]+)/.exec(cells[2].trim())?.[1];
    const base = lib ? `libs/${lib}/src/` : `apps/${reader}/src/`;
    const files = [...cells[2].matchAll(/`([^`]+\.ts)`/g)].map((m) => `${base}${m[1]}`);
    const tables = [...cells[3].matchAll(/[a-z_]+/g)].map((m) => m[0]).filter((t) => knownTables.has(t));
    rows.push({ reader, files, tables });
  }
  return rows;
}
