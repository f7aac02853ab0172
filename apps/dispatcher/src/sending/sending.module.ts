import { Module } from '@nestjs/common';
import { APP_CONFIG } from '@hookstream/platform';
import { createSender, EndpointAuthenticator, type HttpSender, senderOptionsFrom } from '@hookstream/webhook-http';
import type { DispatcherConfig } from '../config.js';
import { SubscriptionIndexModule } from '../subscriptions/subscription-index.module.js';
import { AttemptsRepository } from './attempts.repository.js';
import { Breakers } from './breakers.js';
import { DeliveryAttempt } from './delivery-attempt.js';
import { DeliveryScheduler } from './delivery-scheduler.js';
import { FairShares } from './fair-shares.js';
import { EndpointHealthBucketsRepository } from './endpoint-health-buckets.repository.js';
import { HealthBucketPruneWorker } from './health-bucket-prune.worker.js';
import { LeasesModule } from '../leases/leases.module.js';
import { OrderingModule } from '../ordering/ordering.module.js';
import { TenantStatesModule } from '../tenant-states/tenant-states.module.js';
import { OutcomeRecorder } from './outcome-recorder.js';
import { OutcomePlanner } from './outcomes.js';
import { SendConsumer } from './send.consumer.js';
import { ENDPOINT_AUTHENTICATOR, HTTP_SENDER } from './sending.tokens.js';

@Module({
  imports: [SubscriptionIndexModule, LeasesModule, TenantStatesModule, OrderingModule],
  providers: [
    AttemptsRepository,
    EndpointHealthBucketsRepository,
    Breakers,
    FairShares,
    OutcomePlanner,
    OutcomeRecorder,
    DeliveryAttempt,
    DeliveryScheduler,
    SendConsumer,
    HealthBucketPruneWorker,
    {
      provide: HTTP_SENDER,
      inject: [APP_CONFIG],
      useFactory: (config: DispatcherConfig): HttpSender =>
        createSender(config.HTTP_CLIENT, senderOptionsFrom(config, { maxHosts: config.BREAKER_MAX_HOSTS, maxSocketsPerHost: config.HOST_CONCURRENCY })),
    },
    { provide: ENDPOINT_AUTHENTICATOR, inject: [HTTP_SENDER], useFactory: (sender: HttpSender) => new EndpointAuthenticator(sender) },
  ],
  // The fan-out holds back the events of a tenant far above its share (FanoutConsumer).
  exports: [FairShares],
})
export class SendingModule {}
