import { describe, expect, it } from '@jest/globals';
import { excerpt, showDuration, showTime, statusColor } from './format.ts';

describe('console formatting', () => {
  it('shows a time in the given zone, and the same instant in UTC for the tooltip', () => {
    // The zone's short name comes from the runtime's ICU data: Chromium writes SAST, Node GMT+2.
    expect(showTime('2026-12-07T10:30:05.123Z', 'Africa/Johannesburg')).toEqual({ local: expect.stringMatching(/^07 Dec 2026, 12:30:05 (SAST|GMT\+2)$/), utc: '2026-12-07T10:30:05.123Z' });
    expect(showTime('2026-12-07T10:30:05Z', 'UTC')?.local).toBe('07 Dec 2026, 10:30:05 UTC');
    expect(showTime(null)).toBeNull();
    expect(showTime('not a time')).toBeNull();
  });

  it('colours what needs on-call red', () => {
    expect([statusColor('dead'), statusColor('dead_lettered'), statusColor('delivered'), statusColor('failing'), statusColor('pending')]).toEqual(['red', 'red', 'green', 'yellow', 'gray']);
  });

  it('writes durations as people read them, and cuts long answers', () => {
    expect([showDuration(12.4), showDuration(2400), showDuration(180_000), showDuration(null), showDuration(-1), showDuration(Number.NaN)]).toEqual(['12 ms', '2.4 s', '3 min', '–', '–', '–']);
    expect(excerpt('x'.repeat(600), 500)).toBe(`${'x'.repeat(500)}… (100 more characters)`);
    expect(excerpt('short')).toBe('short');
    expect(excerpt(null)).toBe('');
  });
});
