import { describe, expect, it } from '@jest/globals';
import { attackShortfall, poisonBodies } from './hostile-tenant.ts';

const byKind = new Map(poisonBodies('acme', 'evt_p_1').map((p) => [p.kind, p.body]));
const body = (kind: string) => {
  const b = byKind.get(kind);
  if (b === undefined) throw new Error(`no poison of kind ${kind}`);
  return b;
};

describe('poisonBodies', () => {
  it('are envelopes of the tenant, except the one that is not JSON', () => {
    for (const [kind, text] of byKind) {
      if (kind === 'not_json') {
        expect(() => {
          JSON.parse(text);
        }).toThrow();
        continue;
      }
      const parsed = JSON.parse(text) as { tenant_id: string; id: string };
      expect(parsed).toMatchObject({ tenant_id: 'acme', id: 'evt_p_1' });
    }
  });

  it('carry the value each is named for', () => {
    expect((JSON.parse(body('year_0000')) as { occurred_at: string }).occurred_at).toBe('0000-01-01T00:00:00Z');
    expect((JSON.parse(body('nul_in_data')) as { data: { a: string } }).data.a).toContain('\u0000');
    expect((JSON.parse(body('lone_surrogate')) as { data: { a: string } }).data.a).toMatch(/\p{Cs}/u);
    // JSON.parse rounds it: the text holds 2^53 + 1, the number does not.
    expect(body('int_2_53_plus_1')).toContain('9007199254740993');
    expect((JSON.parse(body('huge_exponent')) as { data: { n: number } }).data.n).toBe(Infinity);
    expect(body('deep_nesting').split('{"a":').length - 1).toBeGreaterThanOrEqual(5000);
    expect(body('huge_string').length).toBeGreaterThan(2 * 1024 * 1024);
  });
});

describe('attackShortfall', () => {
  const sizes = { eventsPerSecond: 10, poisonPerSecond: 5, regexPerSecond: 5, rotationsPerSecond: 10, subscriptions: 1000, slowEndpoints: 50 };
  const kept = {
    answers: {
      publish: { '202': 600 },
      publish_regex: { '422': 300 },
      'poison_http.year_0000': { '422': 150 },
      'poison_http.huge_string': { '413': 150 },
      rotate_secret: { '200': 2, '422': 500, '429': 98 },
    },
    kafkaPoison: { year_0000: 150, huge_string: 150 },
  };

  it('finds nothing when every stream made its planned count, whatever the answers', () => {
    expect(attackShortfall(sizes, 60_000, kept)).toEqual([]);
  });

  it('names each stream that fell more than a tenth behind its plan', () => {
    const behind = { ...kept, answers: { ...kept.answers, publish: { '202': 500 }, rotate_secret: { '200': 545 } }, kafkaPoison: { year_0000: 269 } };
    expect(attackShortfall(sizes, 60_000, behind)).toEqual([
      'the hostile tenant made 500 publications of the 600 planned',
      'the hostile tenant made 269 poison messages on Kafka of the 300 planned',
    ]);
  });
});
