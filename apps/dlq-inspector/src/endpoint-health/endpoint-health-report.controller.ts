import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { type EndpointHealthView, endpointHealthViewSchema, tenantIdSchema } from '@hookstream/contracts';
import { ApiDoc, CurrentPrincipal, type Principal, RequireScope, ZodPipe } from '@hookstream/platform';
import { z } from 'zod';
import { inspectorScope } from '../request-scope.js';
import { EndpointHealthReportService } from './endpoint-health-report.service.js';

const tenantQuery = z.strictObject({ tenant_id: tenantIdSchema.optional() });

/**
 * Delivery statistics of a subscription's endpoint. The registry's GET /v1/subscriptions/:id/health
 * answers whether it is being auto-disabled; this answers how its deliveries are going.
 */
@RequireScope('deliveries:read')
@Controller('v1/endpoint-health')
export class EndpointHealthReportController {
  constructor(private readonly health: EndpointHealthReportService) {}

  @ApiDoc({
    summary: 'Success rate, attempts and p50/p95 latency over the last hour and day (totals, and a series per minute and per hour), last success, last failure and why, breaker state, pending retries and dead letters of a subscription',
    query: tenantQuery,
    response: endpointHealthViewSchema,
  })
  @Get(':subscriptionId')
  get(@CurrentPrincipal() principal: Principal, @Param('subscriptionId', ParseUUIDPipe) id: string, @Query(new ZodPipe(tenantQuery)) q: z.infer<typeof tenantQuery>): Promise<EndpointHealthView> {
    return this.health.get(inspectorScope(principal, q.tenant_id), id);
  }
}
