import { describe, expect, it } from '@jest/globals';
import { SseParser } from './sse.ts';

describe('SseParser', () => {
  it('reads the status stream as the dlq-inspector writes it, whatever the chunking', () => {
    const stream = 'retry: 2000\n: connected\n\nid: d1.1\ndata: {"outcome":"delivered"}\n\n: heartbeat 2026-12-07T10:00:00Z\n\nid: d2.3\ndata: {"outcome":"dead_lettered"}\n\n';
    for (const size of [1, 2, 7, stream.length]) {
      const p = new SseParser();
      const events = [];
      for (let i = 0; i < stream.length; i += size) events.push(...p.feed(stream.slice(i, i + size)));
      expect(events).toEqual([
        { id: 'd1.1', event: 'message', data: '{"outcome":"delivered"}' },
        { id: 'd2.3', event: 'message', data: '{"outcome":"dead_lettered"}' },
      ]);
      expect([p.retryMs, p.lastEventId]).toEqual([2000, 'd2.3']);
    }
  });

  it('joins multi-line data, accepts CRLF and CR, and ignores what it does not know', () => {
    const p = new SseParser();
    expect(p.feed('event: note\r\ndata: a\rdata: b\nbogus: x\nretry: soon\nid: bad\0id\n\n')).toEqual([{ id: null, event: 'note', data: 'a\nb' }]);
    expect(p.retryMs).toBeNull();
    expect(p.lastEventId).toBeNull();
  });

  it('drops a line longer than any the API sends instead of buffering it', () => {
    const p = new SseParser();
    expect(p.feed(`data: ${'x'.repeat(1024 * 1024 + 10)}`)).toEqual([]);
    expect(p.feed('\n\ndata: ok\n\n')).toEqual([{ id: null, event: 'message', data: 'ok' }]);
  });
});
