import { Module } from '@nestjs/common';
import { FiredRetriesSweepWorker } from './fired-retries-sweep.worker.js';
import { RetriesConsumer } from './retries.consumer.js';
import { RetryDueListener } from './retry-due.listener.js';
import { DueRetriesWorker } from './due-retries.worker.js';
import { ScheduledRetriesRepository } from './scheduled-retries.repository.js';

@Module({
  providers: [ScheduledRetriesRepository, DueRetriesWorker, RetryDueListener, FiredRetriesSweepWorker, RetriesConsumer],
})
export class RetriesModule {}
