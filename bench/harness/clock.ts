/**
 * Wall-clock milliseconds with sub-millisecond resolution. Every process of the bench stamps
 * with this, so a publish time taken here and a receipt time taken in the receiver process
 * can be subtracted (one machine, one clock).
 */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
