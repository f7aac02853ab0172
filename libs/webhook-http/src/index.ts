export * from './create-sender.js';
export * from './got-sender.js';
export * from './http-sender.js';
export * from './node-sender.js';
export * from './ssrf-lookup.js';
export * from './undici-sender.js';
export * from './webhook-request.js';
export * from './sender-config.js';
