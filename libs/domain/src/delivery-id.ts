import { createHash } from 'node:crypto';

/**
 * The same (tenant, event, subscription) always yields the same delivery id, so a fan-out
 * redone after a crash produces the same ids and the unique key absorbs it.
 */
export function deliveryId(tenantId: string, eventId: string, subscriptionId: string): string {
  const h = createHash('sha256').update(`${tenantId}\u0000${eventId}\u0000${subscriptionId}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50; // version 5-style: name-based
  h[8] = (h[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
