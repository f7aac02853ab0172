import { describe, expect, it } from '@jest/globals';
import { SseParser } from './sse.js';

describe('SseParser', () => {
  it('reads messages split anywhere across chunks, skipping comments and retry', () => {
    const p = new SseParser();
    const stream = 'retry: 2000\n: connected\n\nid: d1.1\ndata: {"a":1}\n\n: heartbeat\n\nevent: custom\ndata: line one\ndata: line two\n\n';
    const got = [];
    for (let i = 0; i < stream.length; i += 7) got.push(...p.feed(stream.slice(i, i + 7)));
    expect(got).toEqual([
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
});
