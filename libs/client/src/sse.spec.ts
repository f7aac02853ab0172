import { describe, expect, it } from '@jest/globals';
import { SseParser } from './sse.js';

describe('SseParser', () => {
  it('reads the status stream as the dlq-inspector writes it, however it is chunked', () => {
    const stream = 'retry: 2000\n: connected\n\nid: d1.1\ndata: {"outcome":"delivered"}\n\n: heartbeat 2026-12-07T10:00:00Z\n\nid: d2.3\ndata: {"outcome":"dead_lettered"}\n\n';
    for (const size of [1, 2, 7, stream.length]) {
      const p = new SseParser();
      const got = [];
      for (let i = 0; i < stream.length; i += size) got.push(...p.feed(stream.slice(i, i + size)));
      expect(got).toEqual([
        { event: 'message', data: '{"outcome":"delivered"}', id: 'd1.1' },
        { event: 'message', data: '{"outcome":"dead_lettered"}', id: 'd2.3' },
      ]);
      expect([p.retryMs, p.lastEventId]).toEqual([2000, 'd2.3']);
    }
  });

  it('joins multi-line data under a named event, and keeps the id for later messages', () => {
    const p = new SseParser();
    expect(p.feed('id: d1.1\ndata: {"a":1}\n\nevent: custom\ndata: line one\ndata: line two\n\n')).toEqual([
      { event: 'message', data: '{"a":1}', id: 'd1.1' },
      { event: 'custom', data: 'line one\nline two', id: 'd1.1' },
    ]);
  });

  it('takes CRLF and CR line endings, even with \\r\\n split between chunks', () => {
    const p = new SseParser();
    expect([...p.feed('data: x\r'), ...p.feed('\n\r\n')]).toEqual([{ event: 'message', data: 'x', id: null }]);
    // A trailing \r may be half of \r\n: the message ends once the next character shows it is not.
    expect(p.feed('data: y\r\r')).toEqual([]);
    expect(p.feed('data: z\n\n')).toEqual([
      { event: 'message', data: 'y', id: null },
      { event: 'message', data: 'z', id: null },
    ]);
  });

  it('holds an unfinished message until its blank line arrives', () => {
    const p = new SseParser();
    expect(p.feed('data: partial\n')).toEqual([]);
    expect(p.feed('\n')).toEqual([{ event: 'message', data: 'partial', id: null }]);
  });

  it('ignores an id with NUL, a retry that is not a number, and unknown fields', () => {
    const p = new SseParser();
    expect(p.feed('bogus: x\nretry: soon\nid: bad\0id\ndata: a\n\n')).toEqual([{ event: 'message', data: 'a', id: null }]);
    expect([p.retryMs, p.lastEventId]).toEqual([null, null]);
  });

  it('drops a line longer than any the API sends instead of buffering it', () => {
    const p = new SseParser();
    expect(p.feed(`data: ${'x'.repeat(1024 * 1024 + 10)}`)).toEqual([]);
    expect(p.feed('\n\ndata: ok\n\n')).toEqual([{ event: 'message', data: 'ok', id: null }]);
  });
});
