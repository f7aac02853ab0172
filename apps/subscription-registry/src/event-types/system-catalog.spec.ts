import { describe, expect, it } from '@jest/globals';
import { SchemaCompiler } from '@hookstream/domain';
import { SYSTEM_CATALOG } from './system-catalog.js';

describe('SYSTEM_CATALOG', () => {
  it('holds schemas the tenant-schema compiler accepts (RE2 patterns, within the limits)', () => {
    const compiler = new SchemaCompiler();
    for (const entry of SYSTEM_CATALOG) expect({ name: entry.name, result: compiler.compile(entry.schema) }).toMatchObject({ name: entry.name, result: { ok: true } });
  });
});
