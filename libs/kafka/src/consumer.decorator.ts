import { applyDecorators, Injectable, SetMetadata } from '@nestjs/common';
import type { TopicKey } from '@hookstream/contracts';
import type { z } from 'zod';

export const TOPIC_CONSUMER = 'hookstream:topic-consumer';

export interface TopicConsumerOptions {
  topic: TopicKey;
  /** Consumer group id; instances sharing it split the partitions. */
  groupId: string;
  /**
   * Runtime schema every message value is checked against before the handler sees it (a message
   * that fails it is quarantined by the host). `raw`: the handler gets the bytes as they are
   * (a RawMessage), for the consumers of quarantine topics.
   */
  schema: z.ZodType | 'raw';
  /**
   * Public input (hookstream.ingest): the value's JSON text is checked as an HTTP body is, before
   * it is parsed: nesting deeper than MAX_BODY_DEPTH, duplicate keys, numbers JSON.parse would
   * change (2^53 + 1, 1e400) are quarantined as validation_failed.
   */
  inspectText?: boolean;
  /** A null value is a tombstone (compacted topics) and reaches the handler as `null`. */
  tombstones?: boolean;
  /**
   * Each process reads every partition in a group of its own (e.g. to rebuild an in-memory
   * index). Such a group commits no offsets and is deleted when its process stops.
   */
  groupPerInstance?: boolean;
  /** Where a group without committed offsets starts; true (earliest) unless a topic says otherwise. */
  fromBeginning?: boolean;
  /** Partitions handled at once by this process. */
  partitionsConsumedConcurrently?: number;
  /** Upper bound on bytes fetched per partition per batch. */
  maxBytesPerPartition?: number;
}

/** Marks the one class that consumes a topic; discovered and started at boot. */
export function TopicConsumer(options: TopicConsumerOptions): ClassDecorator {
  return applyDecorators(Injectable(), SetMetadata(TOPIC_CONSUMER, options));
}
