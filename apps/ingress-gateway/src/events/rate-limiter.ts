// The Redis token bucket lives in libs/platform, shared with the registry's endpoint-test quota.
export { type BucketLimit, type RateDecision, RateLimiter } from '@hookstream/platform';
