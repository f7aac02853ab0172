import { Injectable } from '@nestjs/common';
import type { FieldError } from '@hookstream/contracts';
import { compilePayloadFilter, explainMatch, type FilterableEvent, type SkipReason } from '@hookstream/domain';
import { EventTypesService } from '../event-types/event-types.service.js';
import type { MatchDto } from './subscriptions.dto.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';

export interface MatchResult {
  tenant_id: string;
  event_type: string;
  /** Would the gateway take the event (the catalog's verdict on its type, and on `data` when given)? */
  accepted: boolean;
  errors: FieldError[];
  receivers: Array<{ subscription_id: string; name: string | null; url: string; matched_filter: string }>;
  skipped: Array<{ subscription_id: string; name: string | null; url: string; reasons: Array<{ code: SkipReason | 'payload_filter' | 'event_refused'; message: string }> }>;
}

/**
 * "Who would get this event, and why not the others?" Answered from the registry's current
 * state by explainMatch, which a property test holds to the dispatcher's SubscriptionIndex: the
 * receivers are those the dispatcher routes to once it has read the changelog up to now.
 * Payload filters are evaluated on the sample `data` (an empty object when none is given) by the
 * compiler the dispatcher runs, and each failed clause is a reason.
 */
@Injectable()
export class MatchService {
  constructor(
    private readonly repo: SubscriptionsRepository,
    private readonly eventTypes: EventTypesService,
  ) {}

  async match(tenantId: string, dto: MatchDto): Promise<MatchResult> {
    const [errors, subs] = await Promise.all([this.eventTypes.admits(tenantId, dto.event_type, dto.data), this.repo.routing(tenantId)]);
    const result: MatchResult = { tenant_id: tenantId, event_type: dto.event_type, accepted: errors.length === 0, errors, receivers: [], skipped: [] };
    const sample: FilterableEvent = { id: 'evt_dry_run', type: dto.event_type, occurred_at: new Date().toISOString(), data: dto.data ?? {} };
    for (const s of subs) {
      const why = explainMatch(s, dto.event_type);
      const who = { subscription_id: s.id, name: s.name, url: s.url };
      const misses = why.receives ? filterMisses(s.filter, sample) : [];
      if (!why.receives) result.skipped.push({ ...who, reasons: why.reasons });
      else if (misses.length > 0) result.skipped.push({ ...who, reasons: misses });
      else if (!result.accepted) result.skipped.push({ ...who, reasons: [{ code: 'event_refused', message: 'the gateway would refuse the event (see errors)' }] });
      else result.receivers.push({ ...who, matched_filter: why.matchedFilter });
    }
    return result;
  }
}

/** Why the sample does not pass a subscription's payload filter; none when it does or there is none. */
function filterMisses(filter: Record<string, unknown> | null, sample: FilterableEvent): Array<{ code: 'payload_filter'; message: string }> {
  if (filter === null) return [];
  const compiled = compilePayloadFilter(filter);
  // Stored filters were checked on the way in; one that no longer compiles would be refused by the dispatchers too.
  if (!compiled.ok) return compiled.problems.map((p) => ({ code: 'payload_filter', message: `the stored filter does not compile: ${p.path} ${p.message}` }));
  return compiled.filter.explain(sample).misses.map((m) => ({ code: 'payload_filter', message: `${m.clause ? `filter.${m.clause}` : 'filter'}: ${m.message}` }));
}
