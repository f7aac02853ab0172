import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';

/**
 * The measured worst case of tenant schemas: adversarial schemas (nested quantifiers, alternation
 * blow-ups, huge enums, $ref chains, uniqueItems, long strings near the 1 MiB event ceiling…)
 * compiled as registration would and validated; the slowest validation (median of 5 warm runs,
 * CPU time, plain Node on the built libs: `npm run build` first) must stay under 10 ms. A row
 * whose cost is the data's own shape (V8 takes ~8 ms to enumerate the keys of a 40k-key object,
 * whatever reads them) must instead cost no more than JSON.parse of the same data. The table
 * is quoted in docs/adr/0001-linear-time-regex-for-tenant-schemas.md.
 */
const MAX_VALIDATION_MS = 10;
const TABLE = fileURLToPath(new URL('./schema-worst-case.table.ts', import.meta.url));

interface ReportRow {
  case: string;
  outcome: string;
  data_kib: number;
  parse_ms: number;
  data_bound: boolean;
  compile_ms: number;
  first_ms: number;
  median_ms: number;
  max_ms: number;
}

describe('tenant schema worst case', () => {
  it(`validates every adversarial schema and data in under ${MAX_VALIDATION_MS} ms`, async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [TABLE], { maxBuffer: 1024 * 1024 });
    const report = JSON.parse(stdout) as ReportRow[];
    console.log(`tenant schema worst case (CPU ms; median and max of 5 warm runs, and the first, cold, run)\n${report.map((r) => `${r.case.padEnd(58)} ${r.outcome.slice(0, 90).padEnd(90)} ${String(r.data_kib).padStart(5)} KiB  parse ${r.parse_ms}  median ${r.median_ms}  max ${r.max_ms}  first ${r.first_ms}  compile ${r.compile_ms}`).join('\n')}`);
    const schemaBound = report.filter((r) => !r.data_bound);
    const worst = schemaBound.reduce((a, b) => (b.median_ms > a.median_ms ? b : a));
    console.log(`slowest validation: ${worst.median_ms} ms (${worst.case})`);
    expect(schemaBound.length).toBeGreaterThan(20);
    expect(worst.median_ms).toBeLessThan(MAX_VALIDATION_MS);
    for (const r of report.filter((row) => row.data_bound)) expect({ case: r.case, within_parse: r.median_ms <= Math.max(r.parse_ms, MAX_VALIDATION_MS) }).toEqual({ case: r.case, within_parse: true });
  }, 120_000);
});
