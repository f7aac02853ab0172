/**
 * Builds `($1, $2, …), ($n, …)` placeholders for a multi-row statement, so a batch is one round
 * trip. Postgres allows 65535 parameters per statement; callers chunk below that.
 */
export function valuesPlaceholders(rows: number, columns: number, casts: readonly string[] = []): string {
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < columns; c++) cells.push(`$${r * columns + c + 1}${casts[c] ? `::${casts[c]}` : ''}`);
    out.push(`(${cells.join(', ')})`);
  }
  return out.join(', ');
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Numbered parameters for one statement assembled from parts (say, several data-modifying CTEs):
 * each part adds its values and gets back their placeholders, so no part counts `$n` by hand.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  /** The placeholder of one value, with its cast when given. */
  one(value: unknown, cast?: string): string {
    this.values.push(value);
    return `$${this.values.length}${cast ? `::${cast}` : ''}`;
  }

  /** `(…), (…)`: the placeholders of a VALUES list, one row per item, cast per column. */
  rows(rows: readonly (readonly unknown[])[], casts: readonly string[] = []): string {
    return rows.map((row) => `(${row.map((v, c) => this.one(v, casts[c])).join(', ')})`).join(', ');
  }
}

/** Anything that runs SQL: TypeORM's DataSource, an EntityManager inside a transaction. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * Runs an UPDATE or DELETE (with or without RETURNING) and answers how many rows it touched.
 * TypeORM's Postgres driver answers those statements with `[rows, count]`; reading that shape in
 * one place keeps the tuple out of every repository.
 */
export async function execute(db: Queryable, sql: string, parameters: unknown[] = []): Promise<number> {
  const result = await db.query(sql, parameters);
  if (Array.isArray(result) && result.length === 2 && typeof result[1] === 'number') return result[1];
  throw new TypeError('execute() runs UPDATE and DELETE statements; use query() for SELECT and INSERT');
}
