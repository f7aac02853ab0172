import type { EntityManager } from 'typeorm';

/**
 * A tenant's quota overrides (tenants.quota_overrides), or null when there is no such tenant.
 * `lock` takes the tenant's row lock for the rest of the transaction, so concurrent creates of a
 * counted resource take turns and never both pass the last slot.
 */
export async function tenantQuotaOverrides(em: EntityManager, tenantId: string, lock = false): Promise<Record<string, unknown> | null> {
  const rows: { quota_overrides: Record<string, unknown> }[] = await em.query(`SELECT quota_overrides FROM tenants WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [tenantId]);
  return rows[0]?.quota_overrides ?? null;
}
