// Per-test time limits by tier: jest takes testTimeout from the command line or the root config only.
export const TIMEOUTS = { unit: 5_000, integration: 60_000, e2e: 180_000 };
