import { sleep } from '../../bench/harness/clock.ts';
import type { ChaosScenario, Sizes } from '../scenarios.ts';
import { accountChaos, type ChaosLedger } from './ledger.ts';
import { SteadyLoad } from './load.ts';
import type { ChaosSystem, ServiceExit } from './system.ts';

export interface ScenarioReport {
  title: string;
  ok: boolean;
  /** Seconds the fault took to inject and repair (a restart includes waiting until ready). */
  fault_s: number;
  /** Seconds from the last acknowledged publish until every delivery had ended. */
  settle_s: number;
  published: { http: number; kafka: number; publish_retries: Record<string, number> };
  ledger: ChaosLedger;
  /** Services that exited on their own and were started again (an orchestrator's restarts). */
  service_exits: ServiceExit[];
  problems: string[];
}

/** Publications still unacknowledged this long after the load stops are a problem. */
const ACK_DEADLINE_MS = 120_000;

/**
 * One scenario: steady load, the fault in the middle of it, then waiting until every delivery
 * the acknowledged events owe has ended (arrived, or dead-lettered), and the ledger. Stops
 * waiting when nothing moves for `stallMs`: what has not ended then is lost.
 */
export async function runScenario(system: ChaosSystem, scenario: ChaosScenario, sizes: Sizes, stallMs: number, log: (m: string) => void): Promise<ScenarioReport> {
  const prefix = system.eventPrefix(scenario.name);
  const load = new SteadyLoad(system, prefix, { ratePerSecond: sizes.ratePerSecond, hostileEvery: scenario.hostileEvery, maxInFlight: 200 });
  load.start();
  await sleep(sizes.leadMs);
  const faultStart = Date.now();
  const problems: string[] = [];
  try {
    await system.unwatched(() => scenario.inject({ system, sizes, log }));
  } catch (err) {
    problems.push(`the fault could not be injected or repaired: ${(err as Error).message}`);
  }
  const faultS = (Date.now() - faultStart) / 1000;
  await sleep(sizes.tailMs);
  const loaded = await load.stop(ACK_DEADLINE_MS);
  const settleStart = Date.now();
  log(`  published ${loaded.published.http} over HTTP and ${loaded.published.kafka} to the ingest topic (publications retried: ${JSON.stringify(loaded.publishRetries)}); waiting for ${loaded.planned.length} pairs to end`);

  let ledger = accountChaos({ publishedEvents: 0, planned: [], receipts: new Map(), deadLetters: new Set(), rows: new Map() });
  let signature = '';
  let movedAt = Date.now();
  let dbError = '';
  let loggedAt = Date.now();
  for (;;) {
    try {
      const { rows, deadLetters } = await system.outcomes(prefix);
      dbError = '';
      ledger = accountChaos({
        publishedEvents: loaded.published.http + loaded.published.kafka,
        planned: loaded.planned,
        receipts: system.receivers.receiptsFor(prefix),
        deadLetters,
        rows,
      });
    } catch (err) {
      dbError = (err as Error).message;
    }
    if (!dbError && ledger.lost === 0 && ledger.unrecorded === 0) break;
    const now = `${ledger.delivered}/${ledger.dead_lettered}/${ledger.unrecorded}/${ledger.requests}`;
    if (Date.now() - loggedAt >= 10_000) {
      loggedAt = Date.now();
      log(`  after ${Math.round((loggedAt - settleStart) / 1000)} s: ${ledger.delivered} delivered, ${ledger.dead_lettered} dead-lettered, ${ledger.lost} not yet, ${ledger.unrecorded} not yet recorded${dbError ? `; Postgres: ${dbError}` : ''}`);
    }
    if (now !== signature) {
      signature = now;
      movedAt = Date.now();
    } else if (Date.now() - movedAt > stallMs) {
      problems.push(`nothing moved for ${stallMs / 1000} s; stopped waiting${dbError ? ` (last database error: ${dbError})` : ''}`);
      break;
    }
    await sleep(1000);
  }
  const settleS = (Date.now() - settleStart) / 1000;
  await system.allRunning().catch((err: unknown) => problems.push((err as Error).message));
  const exits = system.takeExits();
  for (const e of exits) log(`  ${e.service} exited on its own at ${e.at} and was started again; its last output:\n    ${e.last_output.join('\n    ')}`);
  // Late duplicates still on their way are counted if they arrive within a second.
  await sleep(1000);
  try {
    const { rows, deadLetters } = await system.outcomes(prefix);
    ledger = accountChaos({ publishedEvents: loaded.published.http + loaded.published.kafka, planned: loaded.planned, receipts: system.receivers.receiptsFor(prefix), deadLetters, rows });
  } catch (err) {
    problems.push(`the final accounting could not read Postgres: ${(err as Error).message}`);
  }
  problems.push(...ledger.problems);
  if (loaded.unacknowledged.length) problems.push(`${loaded.unacknowledged.length} publications were never acknowledged, e.g. ${loaded.unacknowledged.slice(0, 3).join(', ')}`);
  if (loaded.refused.length) problems.push(`${loaded.refused.length} publications were refused, e.g. ${loaded.refused.slice(0, 3).join('; ')}`);
  return {
    title: scenario.title,
    ok: problems.length === 0,
    fault_s: Math.round(faultS * 10) / 10,
    settle_s: Math.round(settleS * 10) / 10,
    published: { ...loaded.published, publish_retries: loaded.publishRetries },
    ledger,
    service_exits: exits,
    problems,
  };
}

/** One line per scenario, the ledger's columns. */
export function formatTable(reports: ReadonlyMap<string, ScenarioReport>): string {
  const head = ['scenario', 'events', 'pairs', 'delivered', 'dead', 'filtered', 'disabled', 'lost', 'dups', 'fault s', 'settle s', 'result'];
  const rows = [...reports].map(([name, r]) => {
    const l = r.ledger;
    return [name, l.published_events, l.planned, l.delivered, l.dead_lettered, l.accounted.filtered, l.accounted.disabled, l.lost, l.duplicates, r.fault_s, r.settle_s, r.ok ? 'ok' : 'FAILED'].map(String);
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}
