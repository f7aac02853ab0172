/**
 * Server-sent events read from a fetch() body (an EventSource cannot send the Authorization
 * header): lines split across chunks, comments, `id:` and `retry:` handled as the HTML standard
 * says. Pure; the live tail page feeds it what arrives.
 */
export interface SseEvent {
  id: string | null;
  event: string;
  data: string;
}

/** A line longer than this is not one the API sends: the rest of it is dropped, never buffered. */
const MAX_LINE = 1024 * 1024;

export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | null = null;
  /** The reconnection delay the server asked for (`retry:`), in ms. */
  retryMs: number | null = null;
  /** The last event id seen, for a reconnection's Last-Event-ID. */
  lastEventId: string | null = null;

  feed(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const out: SseEvent[] = [];
    for (;;) {
      const nl = this.buffer.search(/\r\n|\r|\n/);
      if (nl < 0) {
        if (this.buffer.length > MAX_LINE) this.buffer = '';
        return out;
      }
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + (this.buffer.startsWith('\r\n', nl) ? 2 : 1));
      const dispatched = this.line(line);
      if (dispatched) out.push(dispatched);
    }
  }

  private line(line: string): SseEvent | null {
    if (line === '') {
      if (this.data.length === 0) {
        this.event = '';
        return null;
      }
      const e: SseEvent = { id: this.id, event: this.event || 'message', data: this.data.join('\n') };
      this.data = [];
      this.event = '';
      return e;
    }
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) {
      this.id = value;
      this.lastEventId = value;
    } else if (field === 'retry' && /^\d{1,9}$/.test(value)) this.retryMs = Number(value);
    return null;
  }
}
