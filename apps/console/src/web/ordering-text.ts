/** How a subscription orders its deliveries, in words (docs/guides/ordering.md). */
export interface OrderingSettings {
  ordering: 'none' | 'subscription' | 'key';
  on_dead_letter: 'skip' | 'block';
  ordering_backlog_max: number;
}

export function orderingText(s: OrderingSettings): string {
  if (s.ordering === 'none') return 'not ordered: each event as soon as it can go';
  const unit = s.ordering === 'key' ? "each ordering_key's events in order (events without one are not ordered)" : 'every event in one order';
  const dead = s.on_dead_letter === 'block' ? 'a dead letter stops its key until it is replayed' : 'a dead letter lets its key move on';
  return `${unit}; ${dead}; paused past ${s.ordering_backlog_max.toLocaleString('en-US')} held`;
}
