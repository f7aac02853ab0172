import { Module } from '@nestjs/common';
import { QUARANTINE_CONSUMERS } from './quarantine.consumer.js';
import { QuarantineController } from './quarantine.controller.js';
import { QuarantineRepository } from './quarantine.repository.js';
import { QuarantineService } from './quarantine.service.js';

@Module({
  controllers: [QuarantineController],
  providers: [QuarantineRepository, QuarantineService, ...QUARANTINE_CONSUMERS],
})
export class QuarantineModule {}
