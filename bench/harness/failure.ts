/**
 * The receiver's injected failures are decided by a hash of the delivery key, so the harness
 * knows in advance exactly which first attempts fail and can check that each one was recorded.
 */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export function failsFirstAttempt(key: string, fraction: number): boolean {
  return fraction > 0 && fnv1a(key) / 2 ** 32 < fraction;
}
