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
