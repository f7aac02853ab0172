export interface ReplayPacerOptions {
  /** The most requests the job may cause at its receivers in any window. */
  ratePerSecond: number;
  /**
   * How long a produced replay counts as on its way to the receiver before the pacer stops
   * waiting to learn when it was sent (the dispatcher may be down, or skip a duplicate). It then
   * counts as sent at that moment. 0: count every replay as sent when produced (open loop).
   */
  inFlightTimeoutMs: number;
  windowMs?: number;
  /** Batches per second at full rate, when producing is quick: smaller batches are smoother. */
  batchesPerSecond?: number;
  /**
   * When producing a batch takes the caller longer than the batch's share of a second (a loaded
   * database), batches grow to what the rate earns in that time, up to this much time's worth,
   * so the job keeps its rate instead of being held back by its own round trips.
   */
  catchUpMs?: number;
  /** Upper bound on one batch, whatever the rate. */
  maxBatch?: number;
}

export interface PacerVerdict {
  /** How many replays may be produced now (0: wait). */
  allowed: number;
  /** When to ask again if nothing is allowed; null when only a landing can free room (poll). */
  waitMs: number | null;
}

/**
 * Paces a bulk replay so its receivers never get more than `ratePerSecond` of its requests in any
 * window of `windowMs`, however long the dispatcher takes to send what was produced.
 *
 * A replay takes room in the window from the moment it is produced: while in flight it may reach
 * the receiver at any moment, so it counts against every window from now on; once its attempt is
 * known (`landed`), it counts at the time the attempt started. A batch is allowed only when
 * (in flight) + (attempts started in the last window) + (the batch) fits the rate. Every window
 * of attempt start times then holds at most `ratePerSecond`: the requests in it that started
 * before the last batch that reached it were counted when that batch was allowed. A slow or
 * stopped dispatcher therefore slows the job instead of piling replays up for later.
 *
 * Batches are also spaced by their share of a second, so the rate is spread over the window
 * rather than spent at its start; when producing a batch is slow, batches grow so that the
 * caller's own cost does not lower the rate. Pure: the caller passes the clock.
 */
export class ReplayPacer {
  /** The batch at full rate when producing is quick; the job waits for room for at least this many. */
  readonly batchSize: number;
  private readonly windowMs: number;
  private readonly maxBatch: number;
  private readonly catchUpMs: number;
  private readonly inFlight = new Map<string, number>();
  /** Times at which landed (or expired) replays count, in the order they were learnt. */
  private counted: number[] = [];
  private last: { at: number; size: number } | null = null;
  /** How long the caller took to produce its last batch and come back (null until it has). */
  private cost: number | null = null;
  private returned = true;

  constructor(private readonly options: ReplayPacerOptions) {
    if (!Number.isInteger(options.ratePerSecond) || options.ratePerSecond < 1) throw new RangeError('ratePerSecond must be a positive integer');
    this.windowMs = options.windowMs ?? 1000;
    this.maxBatch = options.maxBatch ?? 500;
    this.catchUpMs = options.catchUpMs ?? 250;
    const perSecond = options.batchesPerSecond ?? 10;
    this.batchSize = Math.max(1, Math.min(this.maxBatch, Math.ceil(options.ratePerSecond / perSecond)));
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Replays produced and not yet seen sent, with when each was produced. */
  pending(): Array<[key: string, producedAt: number]> {
    return [...this.inFlight];
  }

  produced(keys: readonly string[], at: number): void {
    for (const k of keys) this.inFlight.set(k, at);
    if (keys.length > 0) {
      this.last = { at, size: keys.length };
      this.returned = false;
    }
  }

  /** The attempt for `key` started at `attemptAt`; null when it ended without one (died again unsent). */
  landed(key: string, attemptAt: number | null): void {
    const producedAt = this.inFlight.get(key);
    if (producedAt === undefined) return;
    this.inFlight.delete(key);
    if (attemptAt !== null) this.counted.push(attemptAt);
  }

  next(now: number): PacerVerdict {
    if (!this.returned && this.last) {
      this.cost = now - this.last.at;
      this.returned = true;
    }
    const timeout = this.options.inFlightTimeoutMs;
    for (const [key, producedAt] of this.inFlight) {
      if (now - producedAt >= timeout) {
        this.inFlight.delete(key);
        this.counted.push(producedAt + timeout);
      }
    }
    const windowStart = now - this.windowMs;
    this.counted = this.counted.filter((t) => t > windowStart);

    if (this.last) {
      const spacedUntil = this.last.at + (this.last.size / this.options.ratePerSecond) * 1000;
      if (now < spacedUntil) return { allowed: 0, waitMs: Math.ceil(spacedUntil - now) };
    }
    const rate = this.options.ratePerSecond;
    const room = rate - this.inFlight.size - this.counted.length;
    if (room >= this.batchSize) {
      const keepUp = this.cost === null ? 0 : Math.floor((Math.min(this.cost, this.catchUpMs) * rate) / 1000);
      return { allowed: Math.min(room, this.maxBatch, Math.max(this.batchSize, keepUp)), waitMs: null };
    }
    const excess = this.batchSize - room;
    // Room comes back as counted replays leave the window, oldest first; in-flight ones hold it
    // until they land.
    if (excess > this.counted.length) return { allowed: 0, waitMs: null };
    const sorted = [...this.counted].sort((a, b) => a - b);
    const freedAt = (sorted[excess - 1] ?? now) + this.windowMs;
    return { allowed: 0, waitMs: Math.max(1, Math.ceil(freedAt - now)) };
  }
}
