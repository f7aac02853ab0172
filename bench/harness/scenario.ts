import type { Ledger } from './ledger.ts';
import type { BenchOptions } from './options.ts';
import type { Usage } from './proc.ts';
import type { BenchSystem } from './system.ts';

export interface ScenarioResult {
  /** Headline figures, flat, in the unit their name ends with (_per_s, _ms, _s, _bytes…). */
  figures: Record<string, number | null>;
  /** CPU and peak memory per process over the measured window (not the set-up). */
  usage?: Usage;
  /** The phase's accounting; its problems fail the run. */
  ledger?: Ledger;
  /** Anything else worth keeping in the results file. */
  details?: Record<string, unknown>;
  notes?: string[];
}

export interface BenchContext {
  system: BenchSystem;
  options: BenchOptions;
  /** Results of the scenarios that ran before this one, by name. */
  results: ReadonlyMap<string, ScenarioResult>;
  /** The run's timestamp, as its results file is named (files a scenario writes beside it share it). */
  runStamp: string;
  log(message: string): void;
}

/**
 * One measurement. Scenarios run in order against one running system; each creates the tenants
 * and subscriptions it needs, so its rows can be told apart from the others'.
 */
export interface Scenario {
  /** The key of its results (snake_case). */
  name: string;
  title: string;
  /**
   * Left out of the short run (npm test), unless named with --only: a variant whose short form
   * checks nothing the tests do not (TLS delivery, payload filters have integration and e2e
   * tests); its figures come from the full run.
   */
  fullOnly?: boolean;
  run(ctx: BenchContext): Promise<ScenarioResult>;
}

/**
 * A figure to build on (a ratio, a target, another scenario's rate): null when it was not
 * measured, or when its phase failed its accounting (its figures then cover only what arrived).
 */
export function trustedFigure(results: ReadonlyMap<string, ScenarioResult>, scenario: string, figure: string): number | null {
  const r = results.get(scenario);
  const v = r?.figures[figure];
  if (!r || r.ledger?.problems.length || typeof v !== 'number' || !Number.isFinite(v)) return null;
  return v;
}
