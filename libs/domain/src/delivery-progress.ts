/** One planned HTTP attempt: the generation (0, then +1 per replay) and the attempt within it. */
export interface PlannedAttempt {
  generation: number;
  attempt: number;
}

/** What the deliveries row says was last acted on. */
export interface RecordedProgress {
  generation: number;
  /** The last attempt made in `generation` (0: none yet). */
  attempts: number;
  status: 'pending' | 'delivered' | 'failing' | 'dead';
}

export type AttemptVerdict = 'new' | 'duplicate' | 'leased_elsewhere';

/**
 * Whether a hookstream.deliveries message still needs sending. It does not when the delivery
 * already recorded this attempt or a later one, or ended (delivered or dead) in this
 * generation; nor while another live dispatcher holds a lease on exactly this attempt. A
 * delivery without a row yet (never recorded) is new.
 */
export function judgePlannedAttempt(planned: PlannedAttempt, recorded: RecordedProgress | undefined, leased: readonly PlannedAttempt[] = []): AttemptVerdict {
  if (recorded) {
    if (recorded.generation > planned.generation) return 'duplicate';
    if (recorded.generation === planned.generation) {
      if (recorded.attempts >= planned.attempt) return 'duplicate';
      if (recorded.status === 'delivered' || recorded.status === 'dead') return 'duplicate';
    }
  }
  if (leased.some((l) => l.generation === planned.generation && l.attempt === planned.attempt)) return 'leased_elsewhere';
  return 'new';
}

/** Orders planned attempts: later generations first win, then later attempts. */
export function compareAttempts(a: PlannedAttempt, b: PlannedAttempt): number {
  return a.generation - b.generation || a.attempt - b.attempt;
}
