/**
 * The chaos suite's delivery ledger: for one scenario, every (event, subscription) pair the
 * published events touch, and where each ended. Pure, so its arithmetic is unit-tested.
 *
 *   planned = delivered + dead-lettered + accounted (filtered, disabled) + lost, and lost must be 0.
 *
 * A disabled subscription's pair is recorded without a request: a deliveries row that says
 * `dead` and a dead letter (`subscription_disabled`), so the catch-up feed shows it and recover
 * re-sends it (docs/adr/0011). Without them it is lost.
 */
import type { Receipt } from '../../bench/harness/ledger.ts';

/**
 * What should become of a pair: `deliver` (its receiver accepts it, perhaps after misbehaving),
 * `dead` (its receiver never does: a dead letter), or no delivery at all because the
 * subscription does not match the event type (`filtered`: no row either) or is disabled
 * (`disabled`: recorded as a dead letter, never sent).
 */
export type Fate = 'deliver' | 'dead' | 'filtered' | 'disabled';

export interface PlannedDelivery {
  /** `<event id> <subscription path>`, as the receivers key what arrives. */
  key: string;
  fate: Fate;
}

export interface ChaosLedgerInput {
  /** Events whose publication was acknowledged (202/200 from the gateway, or acks=all from Kafka). */
  publishedEvents: number;
  planned: readonly PlannedDelivery[];
  receipts: ReadonlyMap<string, Receipt>;
  /** Keys of the scenario's rows in dead_letters. */
  deadLetters: ReadonlySet<string>;
  /** Status of the scenario's rows in deliveries, by key. */
  rows: ReadonlyMap<string, string>;
}

export interface ChaosLedger {
  published_events: number;
  planned: number;
  delivered: number;
  dead_lettered: number;
  /** Of the dead letters, those whose receiver would have accepted them in the end. */
  dead_lettered_unplanned: number;
  accounted: { filtered: number; disabled: number };
  lost: number;
  /** 2xx answers beyond the first per key: at-least-once allows them, and they are counted. */
  duplicates: number;
  /** Requests that arrived for planned deliveries (first attempts, retries and duplicates). */
  requests: number;
  /** Deliveries that arrived but were never planned (a wrong target). */
  unexpected: number;
  /** Filtered pairs that arrived or got a deliveries row, and disabled pairs that arrived. */
  leaked: number;
  /** Delivered or dead-lettered pairs whose deliveries row does not say so. */
  unrecorded: number;
  lost_sample: string[];
  problems: string[];
}

export function accountChaos(input: ChaosLedgerInput): ChaosLedger {
  const planned = new Map(input.planned.map((p) => [p.key, p.fate]));
  const l: ChaosLedger = {
    published_events: input.publishedEvents,
    planned: planned.size,
    delivered: 0,
    dead_lettered: 0,
    dead_lettered_unplanned: 0,
    accounted: { filtered: 0, disabled: 0 },
    lost: 0,
    duplicates: 0,
    requests: 0,
    unexpected: 0,
    leaked: 0,
    unrecorded: 0,
    lost_sample: [],
    problems: [],
  };
  const unrecordedSample: string[] = [];
  const leakedSample: string[] = [];
  for (const [key, r] of input.receipts) {
    if (!planned.has(key)) {
      l.unexpected++;
      continue;
    }
    l.requests += r.requests;
    l.duplicates += Math.max(0, r.oks - 1);
  }
  for (const [key, fate] of planned) {
    const receipt = input.receipts.get(key);
    const row = input.rows.get(key);
    if (fate === 'filtered' || (fate === 'disabled' && (receipt?.requests ?? 0) > 0)) {
      if ((receipt?.requests ?? 0) > 0 || row !== undefined) {
        l.leaked++;
        if (leakedSample.length < 5) leakedSample.push(key);
      } else l.accounted.filtered++;
      continue;
    }
    if (fate === 'disabled') {
      if (!input.deadLetters.has(key)) {
        l.lost++;
        if (l.lost_sample.length < 5) l.lost_sample.push(key);
      } else if (row !== 'dead') {
        l.unrecorded++;
        if (unrecordedSample.length < 5) unrecordedSample.push(`${key} (${row ?? 'no row'}, not dead)`);
      } else l.accounted.disabled++;
      continue;
    }
    let recordedAs: string;
    if ((receipt?.oks ?? 0) > 0) {
      l.delivered++;
      recordedAs = 'delivered';
    } else if (input.deadLetters.has(key)) {
      l.dead_lettered++;
      if (fate === 'deliver') l.dead_lettered_unplanned++;
      recordedAs = 'dead';
    } else {
      l.lost++;
      if (l.lost_sample.length < 5) l.lost_sample.push(key);
      continue;
    }
    if (row !== recordedAs) {
      l.unrecorded++;
      if (unrecordedSample.length < 5) unrecordedSample.push(`${key} (${row ?? 'no row'}, not ${recordedAs})`);
    }
  }
  if (l.lost > 0) l.problems.push(`lost ${l.lost} of ${l.planned}: neither delivered nor dead-lettered, e.g. ${l.lost_sample.join(', ')}`);
  if (l.unexpected > 0) l.problems.push(`${l.unexpected} deliveries arrived that no published event called for`);
  if (l.leaked > 0) l.problems.push(`${l.leaked} filtered pairs got a request or a deliveries row, or disabled pairs a request, e.g. ${leakedSample.join(', ')}`);
  if (l.unrecorded > 0) l.problems.push(`${l.unrecorded} outcomes are not what the deliveries table says, e.g. ${unrecordedSample.join(', ')}`);
  return l;
}

/** How many planned pairs have reached an end (delivered or dead-lettered, as disabled pairs are); filtered pairs need none. */
export function settledCount(planned: readonly PlannedDelivery[], okKeys: ReadonlySet<string>, deadLetters: ReadonlySet<string>): number {
  let n = 0;
  for (const p of planned) if (p.fate === 'filtered' || okKeys.has(p.key) || deadLetters.has(p.key)) n++;
  return n;
}
