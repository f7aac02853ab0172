import { describe, expect, it } from '@jest/globals';
import { batchText } from './batch-text.ts';

describe('batchText', () => {
  it('says when a subscription gets one event per request', () => {
    expect(batchText(null)).toBe('one event per request');
  });

  it('names the bounds of its batches', () => {
    expect(batchText({ max_events: 100, max_bytes: 1024 * 1024, max_wait_ms: 1000 })).toBe('batches of up to 100 events and 1 MiB per signed request, the first waiting up to 1.0 s for others');
    expect(batchText({ max_events: 1000, max_bytes: 1536, max_wait_ms: 0 })).toBe('batches of up to 1,000 events and 1,536 bytes per signed request, never waiting for more');
    expect(batchText({ max_events: 5, max_bytes: 4096, max_wait_ms: 250 })).toBe('batches of up to 5 events and 4 KiB per signed request, the first waiting up to 250 ms for others');
  });
});
