/** One Server-Sent Events message: its event name ("message" unless named), data and id. */
export interface SseMessage {
  event: string;
  data: string;
  id: string | null;
}

/** A line longer than this is not one the API sends: the rest of it is dropped, never buffered. */
const MAX_LINE = 1024 * 1024;

/**
 * Reads a text/event-stream as it arrives, chunk by chunk (a chunk may end anywhere, even inside
 * a line or between \r and \n), into messages, as the HTML standard says: comment lines
 * (heartbeats) are skipped, a message without data is dropped, `retry:` and the last `id:` are
 * kept for a reconnection. GET /v1/deliveries/stream is read with it by the CLI's `tail` and the
 * console's live tail (fetch, since an EventSource cannot send the Authorization header).
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | null = null;
  /** The reconnection delay the server asked for (`retry:`), in ms. */
  retryMs: number | null = null;
  /** The last event id seen: a reconnection's Last-Event-ID. */
  get lastEventId(): string | null {
    return this.id;
  }

  feed(chunk: string): SseMessage[] {
    this.buffer += chunk;
    const out: SseMessage[] = [];
    for (;;) {
      const end = this.buffer.search(/\r\n|\r|\n/);
      if (end === -1) {
        if (this.buffer.length > MAX_LINE) this.buffer = '';
        break;
      }
      // A lone \r at the end of a chunk may be the first half of \r\n: wait for the next chunk.
      if (this.buffer[end] === '\r' && end === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + (this.buffer.startsWith('\r\n', end) ? 2 : 1));
      if (line === '') {
        if (this.data.length) out.push({ event: this.event || 'message', data: this.data.join('\n'), id: this.id });
        this.data = [];
        this.event = '';
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') this.data.push(value);
      else if (field === 'event') this.event = value;
      else if (field === 'id' && !value.includes('\0')) this.id = value;
      else if (field === 'retry' && /^\d{1,9}$/.test(value)) this.retryMs = Number(value);
    }
    return out;
  }
}
