import { Module } from '@nestjs/common';
import { EndpointHealthReportController } from './endpoint-health-report.controller.js';
import { EndpointHealthReportRepository } from './endpoint-health-report.repository.js';
import { EndpointHealthReportService } from './endpoint-health-report.service.js';

@Module({
  controllers: [EndpointHealthReportController],
  providers: [EndpointHealthReportRepository, EndpointHealthReportService],
})
export class EndpointHealthReportModule {}
