import { Module } from '@nestjs/common';
import { RetriesConsumer } from './retries.consumer.js';
import { RetryTimer } from './retry-timer.service.js';
import { ScheduledRetriesRepository } from './scheduled-retries.repository.js';

@Module({
  providers: [ScheduledRetriesRepository, RetryTimer, RetriesConsumer],
})
export class RetriesModule {}
