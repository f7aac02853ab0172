import { Module } from '@nestjs/common';
import { ReplaysModule } from '../replays/replays.module.js';
import { DeadLettersController } from './dead-letters.controller.js';
import { DeadLetterRetention } from './dead-letter-retention.js';
import { DeadLettersRepository } from './dead-letters.repository.js';
import { DeadLettersService } from './dead-letters.service.js';
import { DlqConsumer } from './dlq.consumer.js';

@Module({
  imports: [ReplaysModule],
  controllers: [DeadLettersController],
  providers: [DeadLettersRepository, DeadLettersService, DlqConsumer, DeadLetterRetention],
})
export class DeadLettersModule {}
