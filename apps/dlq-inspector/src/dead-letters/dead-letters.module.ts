import { Module } from '@nestjs/common';
import { ReplaysModule } from '../replays/replays.module.js';
import { DeadLettersController } from './dead-letters.controller.js';
import { DeadLetterRetentionWorker } from './dead-letter-retention.worker.js';
import { DeadLettersRepository } from './dead-letters.repository.js';
import { DeadLettersService } from './dead-letters.service.js';
import { DlqConsumer } from './dlq.consumer.js';

@Module({
  imports: [ReplaysModule],
  controllers: [DeadLettersController],
  providers: [DeadLettersRepository, DeadLettersService, DlqConsumer, DeadLetterRetentionWorker],
})
export class DeadLettersModule {}
