-- subscription-registry: payload filters. A subscription may narrow the events of its types to
-- those whose envelope and data pass a filter (libs/domain payload-filter.ts; the guide is
-- docs/guides/payload-filters.md). NULL: every event of its types. The registry checks the
-- filter's limits before it is stored; the CHECK is the last line against a direct write.
ALTER TABLE subscriptions
  ADD COLUMN filter jsonb,
  ADD CONSTRAINT subscriptions_filter_is_object CHECK (filter IS NULL OR (jsonb_typeof(filter) = 'object' AND pg_column_size(filter) <= 65536));
