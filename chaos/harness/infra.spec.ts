import { kafkaClusterId } from './infra.ts';

describe('kafkaClusterId', () => {
  it('makes ids Kafka accepts: 16 bytes in base64url, never starting with "-"', () => {
    // One id in 64 would start with "-" if nothing prevented it; 5,000 draws make a miss certain.
    const ids = Array.from({ length: 5_000 }, kafkaClusterId);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
