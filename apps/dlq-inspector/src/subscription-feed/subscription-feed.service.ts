import { Injectable } from '@nestjs/common';
import type { FeedItem, FeedPage } from '@hookstream/contracts';
import { DomainError } from '@hookstream/domain';
import { decodeCursor, encodeCursor } from '@hookstream/platform';
import { SubscriptionsRepository } from '../subscriptions/subscriptions.repository.js';
import { type FeedPosition, type FeedRow, SubscriptionFeedRepository } from './subscription-feed.repository.js';

/** Before the first item: transaction ids and sequence values start at 1. */
const START: FeedPosition = { tx: '0', seq: '0' };

/** The catch-up feed: every event that matched a subscription, in the order the matches were recorded. */
@Injectable()
export class SubscriptionFeedService {
  constructor(
    private readonly repo: SubscriptionFeedRepository,
    private readonly subscriptions: SubscriptionsRepository,
  ) {}

  async read(tenantId: string | null, subscriptionId: string, after: string | undefined, limit: number): Promise<FeedPage> {
    // A forged cursor is refused before any query is made for it.
    const from = after === undefined ? START : feedPosition(after);
    const sub = await this.subscriptions.inScope(tenantId, subscriptionId);
    if (sub === null) throw new DomainError('not_found', `no subscription ${subscriptionId}`);
    // One more than asked tells whether to read again at once.
    const rows = await this.repo.page(sub.tenant_id, subscriptionId, from, limit + 1);
    const items = rows.slice(0, limit).map(feedItem);
    const last = items[items.length - 1];
    return { data: items, next_cursor: last?.cursor ?? (after ?? encodeCursor([START.tx, START.seq])), has_more: rows.length > limit };
  }
}

function feedPosition(cursor: string): FeedPosition {
  const [tx = '', seq = ''] = decodeCursor(cursor, ['bigint', 'bigint'], 'after');
  return { tx, seq };
}

function feedItem(r: FeedRow): FeedItem {
  return {
    cursor: encodeCursor([r.tx, r.seq]),
    event: {
      id: r.event_id,
      type: r.event_type,
      occurred_at: r.occurred_at?.toISOString() ?? null,
      received_at: r.received_at?.toISOString() ?? null,
      ordering_key: r.ordering_key,
      data: r.expired ? null : r.data,
      expired: r.expired,
    },
    delivery: {
      id: r.delivery_id,
      status: r.status,
      attempts: r.attempts,
      last_status_code: r.last_status_code,
      last_error: r.last_error,
      matched_at: r.matched_at.toISOString(),
    },
  };
}
