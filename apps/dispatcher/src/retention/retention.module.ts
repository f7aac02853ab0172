import { Module } from '@nestjs/common';
import { AttemptPartitionsWorker } from './attempt-partitions.worker.js';
import { AttemptRetentionWorker } from './attempt-retention.worker.js';

/** The dispatcher's upkeep of delivery_attempts: partitions ahead of time, and retention. */
@Module({ providers: [AttemptPartitionsWorker, AttemptRetentionWorker] })
export class RetentionModule {}
