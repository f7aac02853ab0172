import { Module } from '@nestjs/common';
import { APP_CONFIG } from '@hookstream/platform';
import type { DispatcherConfig } from '../config.js';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module.js';
import { AttemptsRepository } from './attempts.repository.js';
import { Breakers } from './breakers.js';
import { GotSender, type HttpSender } from '@hookstream/webhook-http';
import { SendConsumer } from './send.consumer.js';
import { HTTP_SENDER } from './sending.tokens.js';

@Module({
  imports: [SubscriptionsModule],
  providers: [
    AttemptsRepository,
    Breakers,
    SendConsumer,
    {
      provide: HTTP_SENDER,
      inject: [APP_CONFIG],
      useFactory: (config: DispatcherConfig): HttpSender =>
        new GotSender({
          allow: { hosts: new Set(config.DELIVERY_ALLOWLIST_HOSTS.map((h) => h.toLowerCase())) },
          connectTimeoutMs: config.CONNECT_TIMEOUT_MS,
          maxHosts: config.BREAKER_MAX_HOSTS,
        }),
    },
  ],
})
export class SendingModule {}
