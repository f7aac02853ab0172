import { Module } from '@nestjs/common';
import { FiredRetriesSweeper } from './fired-retries.sweeper.js';
import { RetriesConsumer } from './retries.consumer.js';
import { RetryDueListener } from './retry-due.listener.js';
import { RetryTimer } from './retry-timer.service.js';
import { ScheduledRetriesRepository } from './scheduled-retries.repository.js';

@Module({
  providers: [ScheduledRetriesRepository, RetryTimer, RetryDueListener, FiredRetriesSweeper, RetriesConsumer],
})
export class RetriesModule {}
