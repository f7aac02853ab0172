import { QUOTAS, type QuotaLimits } from '@hookstream/domain';
import { z } from 'zod';

const quota = (name: keyof typeof QUOTAS, fallback: number) => z.coerce.number().int().min(0).max(QUOTAS[name].ceiling).default(fallback);

/** Platform-wide quota defaults (QUOTA_<NAME>); an operator overrides them per tenant with PUT /v1/tenants/:id/limits. */
export const quotaConfigShape = {
  QUOTA_SUBSCRIPTIONS: quota('subscriptions', 500),
  QUOTA_EVENT_TYPES: quota('event_types', 500),
  QUOTA_API_KEYS: quota('api_keys', 25),
  QUOTA_ACTIVE_SECRETS_PER_SUBSCRIPTION: quota('active_secrets_per_subscription', 3),
  QUOTA_FILTERS_PER_SUBSCRIPTION: quota('filters_per_subscription', 50),
  QUOTA_FILTER_LENGTH: quota('filter_length', 128),
  QUOTA_HEADERS_PER_SUBSCRIPTION: quota('headers_per_subscription', 10),
  QUOTA_HEADER_BYTES: quota('header_bytes', 4096),
  QUOTA_METADATA_BYTES: quota('metadata_bytes', 4096),
  QUOTA_REPLAY_JOBS: quota('replay_jobs', 3),
  QUOTA_ENDPOINT_TESTS_PER_MINUTE: quota('endpoint_tests_per_minute', 30),
  QUOTA_ENDPOINT_TESTS_PER_MINUTE_PER_ORIGIN: quota('endpoint_tests_per_minute_per_origin', 10),
  QUOTA_CONFIG_WRITES_PER_MINUTE: quota('config_writes_per_minute', 600),
};

type QuotaConfig = { [K in keyof typeof quotaConfigShape]: number };

export function quotaDefaults(c: QuotaConfig): QuotaLimits {
  return {
    subscriptions: c.QUOTA_SUBSCRIPTIONS,
    event_types: c.QUOTA_EVENT_TYPES,
    api_keys: c.QUOTA_API_KEYS,
    active_secrets_per_subscription: c.QUOTA_ACTIVE_SECRETS_PER_SUBSCRIPTION,
    filters_per_subscription: c.QUOTA_FILTERS_PER_SUBSCRIPTION,
    filter_length: c.QUOTA_FILTER_LENGTH,
    headers_per_subscription: c.QUOTA_HEADERS_PER_SUBSCRIPTION,
    header_bytes: c.QUOTA_HEADER_BYTES,
    metadata_bytes: c.QUOTA_METADATA_BYTES,
    replay_jobs: c.QUOTA_REPLAY_JOBS,
    endpoint_tests_per_minute: c.QUOTA_ENDPOINT_TESTS_PER_MINUTE,
    endpoint_tests_per_minute_per_origin: c.QUOTA_ENDPOINT_TESTS_PER_MINUTE_PER_ORIGIN,
    config_writes_per_minute: c.QUOTA_CONFIG_WRITES_PER_MINUTE,
  };
}
