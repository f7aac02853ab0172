import { extent, median } from '../harness/stats.ts';
import type { Scenario } from '../harness/scenario.ts';

/**
 * (e) One event to 1,000 subscriptions: the time from publishing it to the last of its
 * deliveries arriving, repeated (one event at a time) and reported as the worst repeat.
 */
export const fanout: Scenario = {
  name: 'fanout',
  title: '(e) fan-out: one event to 1,000 subscriptions, time to the last receipt',
  async run({ system, options }) {
    const world = await system.createFanoutWorld('fanout', options.sizes.fanoutSubscriptions);
    await system.waitForIndex();
    const repeats: { first_ms: number; last_ms: number }[] = [];
    const keys: string[] = [];
    let stalled: string | null = null;
    const straysBefore = await system.beginPhase(world);
    const window = system.meter.start();
    for (let r = 0; r < options.sizes.fanoutRepeats && !stalled; r++) {
      const event = system.planFanout(world, r);
      keys.push(...event.keys);
      const log = await system.publisher.burst([event]);
      stalled = await system.awaitDelivered(keys.length);
      const receipts = await system.receiver.receipts();
      const times = event.keys.flatMap((k) => receipts.get(k)?.firstOkAt ?? []);
      const published = log.scheduledAt[0] ?? 0;
      const { min, max } = extent(times);
      repeats.push({ first_ms: min - published, last_ms: max - published });
    }
    const usage = window.stop();
    const { ledger } = await system.finishPhase(world, keys, { stalled, straysBefore });
    return {
      figures: {
        last_receipt_ms: extent(repeats.map((r) => r.last_ms)).max,
        last_receipt_median_ms: median(repeats.map((r) => r.last_ms)),
        first_receipt_median_ms: median(repeats.map((r) => r.first_ms)),
        subscriptions: world.subscriptions.length,
        repeats: repeats.length,
      },
      usage,
      ledger,
      details: { repeats },
    };
  },
};
