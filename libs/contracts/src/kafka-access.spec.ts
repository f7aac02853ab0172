import { describe, expect, it } from '@jest/globals';
import { KAFKA_ACCESS, KAFKA_PRINCIPALS, kafkaAcls, writableTopics } from './kafka-access.js';
import { QUARANTINE_TOPICS, TOPICS } from './topics.js';

describe('KAFKA_ACCESS and kafkaAcls', () => {
  it('lets the publisher produce to hookstream.ingest and do nothing else', () => {
    expect(kafkaAcls('publisher', 'p.')).toEqual([
      { resourceType: 'topic', name: 'p.hookstream.ingest', patternType: 'literal', operation: 'Write' },
      { resourceType: 'topic', name: 'p.hookstream.ingest', patternType: 'literal', operation: 'Describe' },
    ]);
  });

  it('grants a service the quarantine topics of what it consumes, and its groups by its name', () => {
    const acls = kafkaAcls('retry-scheduler', 'p.');
    expect(acls.filter((a) => a.operation === 'Read' && a.resourceType === 'topic').map((a) => a.name)).toEqual(['p.hookstream.retries']);
    expect(acls.filter((a) => a.operation === 'Write').map((a) => a.name)).toEqual(['p.hookstream.deliveries', 'p.hookstream.dlq', 'p.hookstream.retries.quarantine']);
    expect(acls.filter((a) => a.resourceType === 'group')).toEqual(
      (['Read', 'Describe', 'Delete'] as const).map((operation) => ({ resourceType: 'group', name: 'p.retry-scheduler', patternType: 'prefixed', operation })),
    );
  });

  it('never lets anyone but the registry and the dlq-inspector (re-drive) write the subscription changelog', () => {
    const writers = KAFKA_PRINCIPALS.filter((p) => writableTopics(p).includes('subscriptions'));
    expect(writers).toEqual(['subscription-registry', 'dlq-inspector']);
  });

  it('has every consumed topic produced by someone, and every quarantine topic read by the dlq-inspector', () => {
    const produced = new Set(KAFKA_PRINCIPALS.flatMap(writableTopics));
    for (const p of KAFKA_PRINCIPALS) for (const t of KAFKA_ACCESS[p].consumes) expect({ topic: t, produced: produced.has(t) }).toEqual({ topic: t, produced: true });
    expect([...KAFKA_ACCESS['dlq-inspector'].consumes].filter((t) => Object.values(QUARANTINE_TOPICS).includes(t as never)).sort()).toEqual(Object.values(QUARANTINE_TOPICS).sort());
    expect(Object.keys(TOPICS).every((t) => produced.has(t as keyof typeof TOPICS))).toBe(true);
  });

  it('keeps group prefixes apart: no principal name starts another', () => {
    for (const a of KAFKA_PRINCIPALS) for (const b of KAFKA_PRINCIPALS) if (a !== b) expect(b.startsWith(a)).toBe(false);
  });
});
