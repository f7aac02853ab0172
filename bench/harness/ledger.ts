/**
 * Accounts for every delivery of a phase: what the harness published and expected, what the
 * receiver answered, and what the dispatcher recorded in Postgres. Pure, so the chaos suite can
 * reuse it with its own expectations.
 */

/** What the receiver saw for one delivery key (`<webhook-id> <path>`). */
export interface Receipt {
  /** When the first request answered 2xx arrived (epoch ms), null if none was. */
  firstOkAt: number | null;
  requests: number;
  /** Requests answered 2xx: more than one is a duplicate delivery. */
  oks: number;
}

/** delivery_attempts of the phase's tenants, grouped as the checks need them. */
export interface AttemptCounts {
  total: number;
  byOutcome: Record<string, number>;
  /** Attempts that got an HTTP answer (a status code): each is one request the receiver saw. */
  answered: number;
  answeredOk: number;
}

export interface AttemptRowGroup {
  outcome: string;
  status_code_class: 'none' | 'ok' | 'other';
  n: number;
}

export function attemptCounts(groups: readonly AttemptRowGroup[]): AttemptCounts {
  const counts: AttemptCounts = { total: 0, byOutcome: {}, answered: 0, answeredOk: 0 };
  for (const g of groups) {
    counts.total += g.n;
    counts.byOutcome[g.outcome] = (counts.byOutcome[g.outcome] ?? 0) + g.n;
    if (g.status_code_class !== 'none') counts.answered += g.n;
    if (g.status_code_class === 'ok') counts.answeredOk += g.n;
  }
  return counts;
}

export interface LedgerInput {
  /** Every delivery key the phase should cause. */
  expected: Iterable<string>;
  receipts: ReadonlyMap<string, Receipt>;
  attempts: AttemptCounts;
  /** deliveries rows of the phase's tenants by status. */
  deliveryRows: Readonly<Record<string, number>>;
  /** First attempts the receiver was told to fail, when it was. */
  expectedFailedAnswers?: number;
  /**
   * Keys of an earlier phase (its tenants, so its attempts are not counted here): a late
   * duplicate is a stray, at-least-once allows it; any other unexpected key is a problem.
   */
  fromEarlierPhase?: (key: string) => boolean;
}

export interface Ledger {
  expected: number;
  delivered: number;
  /** Expected but never answered 2xx by the end of the phase. */
  lost: number;
  /** Deliveries nobody published (a wrong target). */
  unexpected: number;
  /** Requests for an earlier phase's deliveries that arrived during this one (late duplicates). */
  strays: number;
  /** 2xx answers beyond the first per key: at-least-once allows them; a quiet run has none. */
  duplicates: number;
  /** Requests for this phase's deliveries. */
  requests: number;
  failedAnswers: number;
  attempts: AttemptCounts;
  deliveryRows: Record<string, number>;
  /** Up to five lost keys, to start looking. */
  lostSample: string[];
  /** Correctness problems: any one fails the run. */
  problems: string[];
}

export function account(input: LedgerInput): Ledger {
  const expected = new Set(input.expected);
  let delivered = 0;
  let duplicates = 0;
  let requests = 0;
  let oks = 0;
  let unexpected = 0;
  let strays = 0;
  const lostSample: string[] = [];
  for (const [key, r] of input.receipts) {
    if (expected.has(key)) {
      requests += r.requests;
      oks += r.oks;
      duplicates += Math.max(0, r.oks - 1);
    } else if (input.fromEarlierPhase?.(key)) strays += r.requests;
    else unexpected++;
  }
  for (const key of expected) {
    if ((input.receipts.get(key)?.oks ?? 0) > 0) delivered++;
    else if (lostSample.length < 5) lostSample.push(key);
  }
  const lost = expected.size - delivered;
  const failedAnswers = requests - oks;
  const rows = input.deliveryRows;
  const rowTotal = Object.values(rows).reduce((a, b) => a + b, 0);
  const problems: string[] = [];
  if (lost > 0) problems.push(`${lost} of ${expected.size} deliveries never arrived (no 2xx answer by the end of the phase), e.g. ${lostSample.join(', ')}`);
  if (unexpected > 0) problems.push(`${unexpected} deliveries arrived that this phase did not publish`);
  if (input.attempts.answered !== requests) {
    problems.push(`the receiver answered ${requests} requests but delivery_attempts holds ${input.attempts.answered} answered attempts`);
  }
  if (input.attempts.answeredOk !== oks) {
    problems.push(`the receiver answered ${oks} requests with 2xx but delivery_attempts holds ${input.attempts.answeredOk} such attempts`);
  }
  if (rowTotal !== expected.size) problems.push(`deliveries holds ${rowTotal} rows for ${expected.size} expected deliveries`);
  if ((rows['delivered'] ?? 0) !== expected.size) problems.push(`only ${rows['delivered'] ?? 0} of ${expected.size} deliveries rows are marked delivered`);
  if (input.expectedFailedAnswers !== undefined && failedAnswers !== input.expectedFailedAnswers) {
    problems.push(`the receiver failed ${failedAnswers} requests on purpose, ${input.expectedFailedAnswers} were planned`);
  }
  return { expected: expected.size, delivered, lost, unexpected, strays, duplicates, requests, failedAnswers, attempts: input.attempts, deliveryRows: { ...rows }, lostSample, problems };
}

/** Several phases' accounting as one (a scenario of several steps): counts summed, problems kept. */
export function sumLedgers(ledgers: readonly Ledger[]): Ledger {
  const sum = (pick: (l: Ledger) => number) => ledgers.reduce((a, l) => a + pick(l), 0);
  const byKey = (pick: (l: Ledger) => Readonly<Record<string, number>>) => {
    const out: Record<string, number> = {};
    for (const l of ledgers) for (const [k, n] of Object.entries(pick(l))) out[k] = (out[k] ?? 0) + n;
    return out;
  };
  return {
    expected: sum((l) => l.expected),
    delivered: sum((l) => l.delivered),
    lost: sum((l) => l.lost),
    unexpected: sum((l) => l.unexpected),
    strays: sum((l) => l.strays),
    duplicates: sum((l) => l.duplicates),
    requests: sum((l) => l.requests),
    failedAnswers: sum((l) => l.failedAnswers),
    attempts: { total: sum((l) => l.attempts.total), byOutcome: byKey((l) => l.attempts.byOutcome), answered: sum((l) => l.attempts.answered), answeredOk: sum((l) => l.attempts.answeredOk) },
    deliveryRows: byKey((l) => l.deliveryRows),
    lostSample: ledgers.flatMap((l) => l.lostSample).slice(0, 5),
    problems: ledgers.flatMap((l) => l.problems),
  };
}
