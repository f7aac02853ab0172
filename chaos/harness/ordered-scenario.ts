import { sleep } from '../../bench/harness/clock.ts';
import type { ChaosScenario, RoundOutcome, ScenarioDetails } from '../scenarios.ts';
import { checkOrder } from './ordering.ts';
import { ORDERED_SUBSCRIPTIONS } from './world.ts';

/**
 * Ordering keys per tenant: a third of an event a second per key at 30 a second over three
 * tenants. A key carries one event at a time, so the backlog a fault leaves it drains at one
 * event per handoff (about 0.1 s) or retry (a second or more): at 10 keys per tenant the short
 * form took 10 s to settle instead of 5 s.
 */
const KEYS_PER_TENANT = 30;

/**
 * Issue 19's bar for ordered delivery (docs/adr/0009): the kills of the existing scenarios run
 * while ordered subscriptions receive, and every key's events arrive complete and in order. For
 * its round every tenant gets two subscriptions ordered by key (ORDERED_SUBSCRIPTIONS, one of
 * them failing some first attempts), every event carries one of KEYS_PER_TENANT keys, and the
 * faults of the form's `orderedFaults` run in turn, each injected as its own scenario does
 * (`faultOf` finds it) with load flowing in between. Afterwards the receivers' arrival log is
 * checked key by key (harness/ordering.ts); the ledger accounts for every pair as in every
 * scenario. `faultList` names the faults of both forms, for the title.
 */
export function orderedScenario(faultList: string, faultOf: (name: string) => ChaosScenario): ChaosScenario {
  const faults: { fault: string; s: number }[] = [];
  return {
    name: 'ordered',
    title: `ordered subscriptions (ordering: key) receive while other scenarios' faults run in turn (${faultList})`,
    short: true,
    hostileEvery: 0,
    // The same load in both forms: a key's events go out one at a time, so its rate is what one
    // key can carry through retries; the full form's faults last longer.
    ratePerSecond: 30,
    orderingKeys: KEYS_PER_TENANT,
    prepare: async ({ system }) => {
      await system.addSubscriptions(ORDERED_SUBSCRIPTIONS);
    },
    restore: async ({ system }) => {
      await system.removeSubscriptions(ORDERED_SUBSCRIPTIONS.map((s) => s.name));
    },
    inject: async (ctx) => {
      faults.length = 0;
      for (const [i, name] of ctx.sizes.orderedFaults.entries()) {
        // Keys flowing (and heads retrying) again before the next fault, so each hits a busy system.
        if (i > 0) await sleep(ctx.sizes.leadMs);
        ctx.log(`  ${name}: ${faultOf(name).title}`);
        const started = Date.now();
        await faultOf(name).inject(ctx);
        faults.push({ fault: name, s: Math.round((Date.now() - started) / 100) / 10 });
      }
    },
    verify: (outcome) => verifyOrder(outcome, faults),
  };
}

/** The order check on the round's ordered subscriptions, and its problems. */
function verifyOrder({ system, prefix, load, deadLetters, log }: RoundOutcome, faults: readonly { fault: string; s: number }[]): ScenarioDetails {
  const paths = new Set(system.tenants.flatMap((t) => t.subscriptions.filter((s) => s.ordering).map((s) => s.path)));
  const owed = load.planned.filter((p) => (p.fate === 'deliver' || p.fate === 'dead') && paths.has(p.key.slice(p.key.indexOf(' ') + 1))).map((p) => p.key);
  const order = checkOrder({ arrivals: system.receivers.arrivalsFor(prefix), owed, events: load.ordered, deadLetters });
  log(
    `  ordered: ${order.deliveries} deliveries over ${order.streams} keys × subscriptions, ${order.requests} requests (${order.failed_requests} answered 503), ${order.duplicates} duplicates, ${order.dead_lettered} dead-lettered, ${order.missing} missing, ${order.order_violations} order violations; handoff p50 ${order.handoff_ms.p50} ms, p99 ${order.handoff_ms.p99} ms`,
  );
  const problems: string[] = [];
  if (order.order_violations > 0) problems.push(`${order.order_violations} order violations, e.g. ${order.violation_sample.slice(0, 3).join('; ')}`);
  if (order.missing > 0) problems.push(`${order.missing} ordered deliveries never arrived, e.g. ${order.missing_sample.slice(0, 3).join(', ')}`);
  // Guards on the test itself: order that held for want of ordered traffic, or of retries, proves nothing.
  if (order.deliveries === 0) problems.push('no ordered deliveries were owed: the load published no ordered events');
  else if (order.failed_requests === 0) problems.push('the flaky ordered receiver failed no request: no key was held behind a retrying head');
  return { report: { faults, order }, problems };
}
