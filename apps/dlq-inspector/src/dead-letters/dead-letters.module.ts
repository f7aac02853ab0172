import { Module } from '@nestjs/common';
import { DeadLettersController } from './dead-letters.controller.js';
import { DeadLettersRepository } from './dead-letters.repository.js';
import { DeadLettersService } from './dead-letters.service.js';
import { DlqConsumer } from './dlq.consumer.js';

@Module({
  controllers: [DeadLettersController],
  providers: [DeadLettersRepository, DeadLettersService, DlqConsumer],
})
export class DeadLettersModule {}
