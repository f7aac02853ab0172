export * from './http-sender.js';
export * from './ssrf-lookup.js';
