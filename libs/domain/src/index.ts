export * from './errors.js';
export * from './matching.js';
export * from './signing.js';
export * from './retry-policy.js';
export * from './outcome.js';
export * from './ssrf.js';
export * from './delivery-id.js';
export * from './api-key.js';
