import { Injectable } from '@nestjs/common';
import { apiKeyMatches, parseApiKey } from '@hookstream/domain';
import type { ApiKeyVerifier, Principal } from '@hookstream/platform';
import { DataSource } from 'typeorm';

interface Row {
  tenant_id: string;
  scope: 'tenant' | 'admin';
  scopes: string[] | null;
  key_hash: Buffer;
  revoked_at: Date | null;
  expires_at: Date | null;
}

/**
 * Verifies tenant keys against api_keys (read-only: the registry owns the table). Rows are
 * cached briefly so a hot key costs no query; a revocation takes effect within the TTL.
 */
@Injectable()
export class ApiKeyStore implements ApiKeyVerifier {
  private readonly cache = new Map<string, { row: Row | null; until: number }>();
  private readonly ttlMs = 5000;

  constructor(private readonly db: DataSource) {}

  async verify(raw: string): Promise<Principal | 'revoked' | { expiredAt: Date } | null> {
    const parsed = parseApiKey(raw);
    if (!parsed) return null;
    const row = await this.load(parsed.id);
    if (!row || !apiKeyMatches(parsed.full, row.key_hash)) return null;
    if (row.revoked_at) return 'revoked';
    if (row.expires_at && row.expires_at.getTime() <= Date.now()) return { expiredAt: row.expires_at };
    return row.scope === 'admin' ? { kind: 'admin', keyId: parsed.id } : { kind: 'tenant', tenantId: row.tenant_id, keyId: parsed.id, scopes: row.scopes ?? [] };
  }

  private async load(id: string): Promise<Row | null> {
    const now = Date.now();
    const hit = this.cache.get(id);
    if (hit && hit.until > now) return hit.row;
    const rows: Row[] = await this.db.query('SELECT tenant_id, scope, scopes, key_hash, revoked_at, expires_at FROM api_keys WHERE id = $1', [id]);
    const row = rows[0] ?? null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(id, { row, until: now + this.ttlMs });
    return row;
  }
}
