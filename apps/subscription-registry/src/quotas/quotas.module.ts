import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { RateLimiter } from '@hookstream/platform';
import { ConfigWriteRateInterceptor } from './config-write-rate.interceptor.js';
import { QuotasController } from './quotas.controller.js';
import { QuotasRepository } from './quotas.repository.js';
import { QuotasService } from './quotas.service.js';

@Module({
  controllers: [QuotasController],
  providers: [QuotasRepository, QuotasService, RateLimiter, { provide: APP_INTERCEPTOR, useClass: ConfigWriteRateInterceptor }],
  exports: [QuotasService],
})
export class QuotasModule {}
