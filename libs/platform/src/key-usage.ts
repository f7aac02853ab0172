import { Injectable, Optional } from '@nestjs/common';
import { RedisClient } from './redis.js';

const HASH = 'hs:api-key-last-used';
const THROTTLE_MS = 60_000;

/**
 * When each API key was last used, across every service. Services do not own api_keys, so they
 * note use in Redis (at most once a minute per key per process) and the registry, which owns
 * the table, reads it back and persists it. Advisory data: a Redis outage only loses precision.
 */
@Injectable()
export class KeyUsage {
  private readonly lastWrite = new Map<string, number>();

  constructor(@Optional() private readonly redis?: RedisClient) {}

  record(keyId: string, now = Date.now()): void {
    if (!this.redis?.available) return;
    const last = this.lastWrite.get(keyId) ?? 0;
    if (now - last < THROTTLE_MS) return;
    this.lastWrite.set(keyId, now);
    if (this.lastWrite.size > 100_000) this.lastWrite.clear();
    this.redis.redis.hset(HASH, keyId, new Date(now).toISOString()).catch(() => this.lastWrite.delete(keyId));
  }

  async read(keyIds: readonly string[]): Promise<Map<string, Date>> {
    const out = new Map<string, Date>();
    if (!this.redis?.available || keyIds.length === 0) return out;
    try {
      const values = await this.redis.redis.hmget(HASH, ...keyIds);
      keyIds.forEach((id, i) => {
        const v = values[i];
        if (v) out.set(id, new Date(v));
      });
    } catch {
      // Advisory: fall back to what Postgres has.
    }
    return out;
  }
}
