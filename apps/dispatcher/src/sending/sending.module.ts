import { Module } from '@nestjs/common';
import { APP_CONFIG } from '@hookstream/platform';
import { createSender, type HttpSender } from '@hookstream/webhook-http';
import type { DispatcherConfig } from '../config.js';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module.js';
import { AttemptsRepository } from './attempts.repository.js';
import { Breakers } from './breakers.js';
import { DeliveryScheduler } from './delivery-scheduler.js';
import { FairShares } from './fair-shares.js';
import { HealthBucketPruner } from './health-bucket-pruner.js';
import { LeaseKeeper } from './lease-keeper.js';
import { LeasesRepository } from './leases.repository.js';
import { OutcomeRecorder } from './outcome-recorder.js';
import { OutcomePlanner } from './outcomes.js';
import { SendConsumer } from './send.consumer.js';
import { HTTP_SENDER } from './sending.tokens.js';

@Module({
  imports: [SubscriptionsModule],
  providers: [
    AttemptsRepository,
    LeasesRepository,
    Breakers,
    FairShares,
    OutcomePlanner,
    LeaseKeeper,
    OutcomeRecorder,
    DeliveryScheduler,
    SendConsumer,
    HealthBucketPruner,
    {
      provide: HTTP_SENDER,
      inject: [APP_CONFIG],
      useFactory: (config: DispatcherConfig): HttpSender =>
        createSender(config.HTTP_CLIENT, {
          allow: { hosts: new Set(config.DELIVERY_ALLOWLIST_HOSTS.map((h) => h.toLowerCase())) },
          connectTimeoutMs: config.CONNECT_TIMEOUT_MS,
          maxHosts: config.BREAKER_MAX_HOSTS,
          maxSocketsPerHost: config.HOST_CONCURRENCY,
        }),
    },
  ],
})
export class SendingModule {}
