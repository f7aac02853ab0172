import { Module } from '@nestjs/common';
import { EndpointHealthController } from './endpoint-health.controller.js';
import { EndpointHealthRepository } from './endpoint-health.repository.js';
import { EndpointHealthService } from './endpoint-health.service.js';

@Module({
  controllers: [EndpointHealthController],
  providers: [EndpointHealthRepository, EndpointHealthService],
})
export class EndpointHealthModule {}
