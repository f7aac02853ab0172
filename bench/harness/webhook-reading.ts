import type { IncomingMessage } from 'node:http';
import type { Receipt } from './ledger.ts';

/** What one webhook request carried, as the bench's and the chaos suite's receivers count it. */
export interface ReadWebhook {
  path: string;
  /** `<webhook-id> <path>`: a delivery's retries share it, and so do a batch's. */
  requestKey: string;
  /** The deliveries it carried: `<webhook-id> <path>`, or for a batch each envelope's `<id> <path>`. */
  keys: string[];
  /** This request's number among those of its requestKey: 1 for the first. */
  tries: number;
}

/**
 * Reads webhook requests to their end for a test receiver. A batched request (docs/guides/batching.md)
 * is read whole, since each envelope of its array is a delivery; any other body is discarded unread.
 */
export class WebhookReader {
  private readonly tries = new Map<string, number>();

  read(req: IncomingMessage, onEnd: (w: ReadWebhook) => void): void {
    const batched = req.headers['webhook-batch-size'] !== undefined;
    const chunks: Buffer[] = [];
    if (batched) req.on('data', (c: Buffer) => chunks.push(c));
    else req.resume();
    req.once('end', () => {
      const path = req.url ?? '';
      const requestKey = `${String(req.headers['webhook-id'] ?? '')} ${path}`;
      const keys = batched ? envelopeIds(Buffer.concat(chunks)).map((id) => `${id} ${path}`) : [requestKey];
      const tries = (this.tries.get(requestKey) ?? 0) + 1;
      this.tries.set(requestKey, tries);
      onEnd({ path, requestKey, keys, tries });
    });
  }

  /** Forgets the requests seen so far (a bench phase's reset). */
  clear(): void {
    this.tries.clear();
  }
}

/** The `id` of each envelope in a batch's JSON array (an unreadable body: none, so its deliveries show as missing). */
export function envelopeIds(body: Buffer): string[] {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((e: unknown) => (typeof e === 'object' && e !== null && typeof (e as { id?: unknown }).id === 'string' ? [(e as { id: string }).id] : []));
  } catch {
    return [];
  }
}

/** The receipt of `key` in `receipts` (created on its first request), with this request counted. */
export function countRequest(receipts: Map<string, Receipt>, key: string): Receipt {
  let r = receipts.get(key);
  if (!r) {
    r = { firstOkAt: null, requests: 0, oks: 0 };
    receipts.set(key, r);
  }
  r.requests++;
  return r;
}
