const DAY_MS = 24 * 3600 * 1000;

/** A tenant whose rows expire at another time than everyone else's. */
export interface TenantCutoff {
  tenantId: string;
  /** Rows of this tenant older than this are expired. */
  cutoff: Date;
}

export interface RetentionCutoffs {
  /** Rows of tenants without an override older than this are expired. */
  defaultCutoff: Date;
  /** Overrides shorter than the default: their rows go before whole partitions expire. */
  shorter: TenantCutoff[];
  /** Overrides longer than the default: partitions still holding their live rows are kept. */
  longer: TenantCutoff[];
}

export function daysBefore(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/** Splits tenants' retention overrides (days) around the default policy; equal ones change nothing. */
export function retentionCutoffs(now: Date, defaultDays: number, overrides: ReadonlyMap<string, number>): RetentionCutoffs {
  const shorter: TenantCutoff[] = [];
  const longer: TenantCutoff[] = [];
  for (const [tenantId, days] of [...overrides].sort(([a], [b]) => a.localeCompare(b))) {
    if (days < defaultDays) shorter.push({ tenantId, cutoff: daysBefore(now, days) });
    else if (days > defaultDays) longer.push({ tenantId, cutoff: daysBefore(now, days) });
  }
  return { defaultCutoff: daysBefore(now, defaultDays), shorter, longer };
}

/** One day's partition: rows with from <= t < to. */
export interface DayPartition {
  name: string;
  from: Date;
  to: Date;
}

export interface PartitionPlan {
  /** Every row is past the default cutoff, oldest first: dropped unless a longer override holds it. */
  expired: DayPartition[];
  /** Partitions that may hold rows of a shorter override past its cutoff, per tenant. */
  trimmed: { tenant: TenantCutoff; partitions: DayPartition[] }[];
}

/**
 * Which day partitions retention drops and which it trims row by row. A partition expires only
 * when its whole range is older than the default cutoff; the one the cutoff falls in waits a day.
 */
export function planPartitionRetention(partitions: readonly DayPartition[], cutoffs: RetentionCutoffs): PartitionPlan {
  const byAge = [...partitions].sort((a, b) => a.from.getTime() - b.from.getTime());
  const expired = byAge.filter((p) => p.to.getTime() <= cutoffs.defaultCutoff.getTime());
  const live = byAge.filter((p) => p.to.getTime() > cutoffs.defaultCutoff.getTime());
  const trimmed = cutoffs.shorter.map((tenant) => ({ tenant, partitions: live.filter((p) => p.from.getTime() < tenant.cutoff.getTime()) }));
  return { expired, trimmed };
}
