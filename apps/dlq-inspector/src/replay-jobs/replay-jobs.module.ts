import { Module } from '@nestjs/common';
import { ReplaysModule } from '../replays/replays.module.js';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module.js';
import { ReplayJobsController } from './replay-jobs.controller.js';
import { ReplayJobsRepository } from './replay-jobs.repository.js';
import { ReplayJobsService } from './replay-jobs.service.js';
import { ReplayJobsWorker } from './replay-jobs.worker.js';

@Module({
  imports: [ReplaysModule, SubscriptionsModule],
  controllers: [ReplayJobsController],
  providers: [ReplayJobsRepository, ReplayJobsService, ReplayJobsWorker],
  exports: [ReplayJobsService],
})
export class ReplayJobsModule {}
