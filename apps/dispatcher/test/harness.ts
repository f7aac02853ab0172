import { randomBytes, randomUUID } from 'node:crypto';
import type { EventMessage, SubscriptionSnapshot } from '@hookstream/contracts';
import { freePort, ServiceProcess, subscriptionSnapshot, type TestStack } from '@hookstream/testing';

/**
 * The dispatcher on its own, as a process against a test stack: tests write the subscription
 * changelog and hookstream.events themselves (as the registry and the gateway would), so every
 * id, limit and timeout is theirs to choose.
 */
export async function startDispatcher(stack: TestStack, env: Record<string, string> = {}): Promise<ServiceProcess> {
  const dispatcher = new ServiceProcess('dispatcher', await freePort(), {
    ...stack.env(),
    DELIVERY_ALLOWLIST_HOSTS: '127.0.0.1',
    CONSUMER_LAG_INTERVAL_MS: '1000',
    ...env,
  });
  dispatcher.start();
  await dispatcher.waitReady(90_000);
  return dispatcher;
}

/** The changelog form of a subscription (every event type unless `fields` says otherwise). */
export const subscription = subscriptionSnapshot;

export function event(tenantId: string, type = 'order.placed'): EventMessage {
  const now = new Date().toISOString();
  return { id: `evt_${randomUUID()}`, tenant_id: tenantId, type, occurred_at: now, received_at: now, data: { n: randomBytes(3).toString('hex') } };
}

/** Produces to one of the stack's topics (acks from every replica), in chunks a broker accepts. */
export async function produce(stack: TestStack, topic: string, messages: ReadonlyArray<{ key: string; value: unknown }>): Promise<void> {
  const producer = stack.kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += 500) {
      await producer.send({
        topic: `${stack.topicPrefix}${topic}`,
        acks: -1,
        messages: messages.slice(i, i + 500).map((m) => ({ key: m.key, value: m.value === null ? null : JSON.stringify(m.value) })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

export const publishSubscriptions = (stack: TestStack, subs: readonly SubscriptionSnapshot[]) =>
  produce(
    stack,
    'hookstream.subscriptions',
    subs.map((s) => ({ key: s.id, value: s })),
  );

export const publishEvents = (stack: TestStack, events: readonly EventMessage[]) =>
  produce(
    stack,
    'hookstream.events',
    events.map((e) => ({ key: e.tenant_id, value: e })),
  );

/** The value of one sample of a Prometheus text exposition (0 when absent). */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (want.every((w) => line.includes(w))) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

export async function scrape(dispatcher: ServiceProcess): Promise<string> {
  return (await fetch(`${dispatcher.url}/metrics`)).text();
}

/** Runs `tick(0)`, `tick(1)`, … `count` times at `perSecond`, each on its schedule (no drift from the ticks' own time). */
export async function atSteadyRate(perSecond: number, count: number, tick: (i: number) => Promise<void>): Promise<void> {
  const started = Date.now();
  for (let i = 0; i < count; i++) {
    await tick(i);
    await new Promise((r) => setTimeout(r, Math.max(0, started + ((i + 1) * 1000) / perSecond - Date.now())));
  }
}

/** The event id in a delivered request's body. */
export const idOf = (body: string): string => (JSON.parse(body) as { id: string }).id;

export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
