import { Module } from '@nestjs/common';
import { AttemptPartitions } from './attempt-partitions.js';
import { AttemptRetention } from './attempt-retention.js';

/** The dispatcher's upkeep of delivery_attempts: partitions ahead of time, and retention. */
@Module({ providers: [AttemptPartitions, AttemptRetention] })
export class RetentionModule {}
