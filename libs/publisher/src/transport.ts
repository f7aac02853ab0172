import type { StampedEvent } from './envelope.js';

export type PublishStatus = 'queued' | 'accepted' | 'duplicate';

export type PublishResult = { id: string; status: PublishStatus };

export type BatchResult =
  | PublishResult
  | { id: string | null; status: 'rejected'; error: { code: string; message: string; details: unknown } };

/** How events leave the process: the ingest topic, or the gateway's HTTP API. */
export interface Transport {
  send(events: readonly StampedEvent[]): Promise<BatchResult[]>;
  close(): Promise<void>;
}

