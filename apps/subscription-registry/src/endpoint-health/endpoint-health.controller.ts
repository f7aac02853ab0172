import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiDoc, CurrentPrincipal, type Principal, RequireScope, tenantScope, ZodPipe } from '@hookstream/platform';
import type { z } from 'zod';
import { healthQuerySchema, type SubscriptionHealthView, subscriptionHealthViewSchema } from './endpoint-health.dto.js';
import { EndpointHealthService } from './endpoint-health.service.js';

@RequireScope('deliveries:read')
@Controller('v1/subscriptions')
export class EndpointHealthController {
  constructor(private readonly health: EndpointHealthService) {}

  @ApiDoc({
    summary: 'How a subscription\'s endpoint is doing: failing since when, and when it would be disabled',
    query: healthQuerySchema,
    response: subscriptionHealthViewSchema,
    example: {
      subscription_id: '6f1c2a4e-8d0b-4c55-9a43-2f9e5b1d7c10',
      status: 'failing',
      enabled: true,
      disabled_reason: null,
      last_success_at: '2026-11-20T08:12:03.114Z',
      failing_since: '2026-11-21T09:30:00.512Z',
      last_failure_at: '2026-11-22T10:00:04.020Z',
      last_status_code: 503,
      last_error_class: 'http_status',
      auto_disable_at: '2026-11-26T09:30:00.512Z',
    },
  })
  @Get(':id/health')
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query(new ZodPipe(healthQuerySchema)) query: z.infer<typeof healthQuerySchema>,
  ): Promise<SubscriptionHealthView> {
    return this.health.view(tenantScope(principal, query.tenant_id), id);
  }
}
