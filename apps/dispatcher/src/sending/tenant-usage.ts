import { type TenantWeights, weightOf } from '@hookstream/domain';

/** How many units of one capacity each tenant uses now, and the total weight of those using any. */
export class TenantUsage {
  private readonly byTenant = new Map<string, number>();
  private used = 0;
  private weightSum = 0;

  constructor(private readonly weights: TenantWeights) {}

  get total(): number {
    return this.used;
  }

  has(tenant: string): boolean {
    return this.byTenant.has(tenant);
  }

  of(tenant: string): number {
    return this.byTenant.get(tenant) ?? 0;
  }

  add(tenant: string): void {
    const n = this.of(tenant);
    if (n === 0) this.weightSum += weightOf(this.weights, tenant);
    this.byTenant.set(tenant, n + 1);
    this.used++;
  }

  remove(tenant: string): void {
    const n = this.of(tenant);
    if (n === 0) return;
    this.used--;
    if (n > 1) {
      this.byTenant.set(tenant, n - 1);
      return;
    }
    this.byTenant.delete(tenant);
    this.weightSum -= weightOf(this.weights, tenant);
  }

  /** The weight of the tenants using any, plus that of `also` not among them. */
  weightWith(also: Iterable<string>): number {
    let sum = this.weightSum;
    for (const t of also) if (!this.byTenant.has(t)) sum += weightOf(this.weights, t);
    return sum;
  }

  weightOf(tenant: string): number {
    return weightOf(this.weights, tenant);
  }
}
