/**
 * Sortable event ids: `evt_` + a ULID (48-bit millisecond time, 80 random bits, Crockford
 * base32). Ids sort by creation time, so a tenant's events list and Kafka logs read in order,
 * and within one millisecond the random part counts up, so ids from one generator never tie.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RANDOM_MAX = (1n << 80n) - 1n;

export type RandomSource = (bytes: number) => Uint8Array;

export class EventIdGenerator {
  private lastMs = -1;
  private lastRandom = 0n;

  constructor(
    private readonly random: RandomSource,
    private readonly now: () => number = Date.now,
  ) {}

  next(): string {
    let ms = this.now();
    if (ms <= this.lastMs) {
      // Same millisecond (or a clock step back): keep the last time and count up, so order holds.
      ms = this.lastMs;
      if (this.lastRandom === RANDOM_MAX) {
        ms += 1;
        this.lastRandom = toBigInt(this.random(10));
      } else {
        this.lastRandom += 1n;
      }
    } else {
      this.lastRandom = toBigInt(this.random(10));
    }
    this.lastMs = ms;
    return `evt_${encode(BigInt(ms), 10)}${encode(this.lastRandom, 16)}`;
  }
}

function toBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

function encode(value: bigint, length: number): string {
  let out = '';
  let v = value;
  for (let i = 0; i < length; i++) {
    out = (ALPHABET[Number(v & 31n)] ?? '0') + out;
    v >>= 5n;
  }
  return out;
}

/** The millisecond timestamp an id was generated at (for logs and tests). */
export function eventIdTime(id: string): number {
  const m = /^evt_([0-9A-HJKMNP-TV-Z]{10})[0-9A-HJKMNP-TV-Z]{16}$/.exec(id);
  if (!m?.[1]) throw new RangeError(`${id} is not a Hookstream event id`);
  let ms = 0;
  for (const ch of m[1]) ms = ms * 32 + ALPHABET.indexOf(ch);
  return ms;
}
