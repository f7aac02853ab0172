import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { AdminOnly, ApiDoc, CurrentPrincipal, type Principal, RequireScope, tenantScope, ZodPipe } from '@hookstream/platform';
import { type CreateTenantDto, createTenantSchema, tenantViewSchema, type UpdateTenantDto, updateTenantSchema } from './tenants.dto.js';
import { TenantsService, type TenantView } from './tenants.service.js';

@RequireScope('subscriptions:read')
@Controller('v1/tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @AdminOnly()
  @ApiDoc({ summary: 'Create a tenant (admin)', body: createTenantSchema, response: tenantViewSchema })
  @Post()
  @HttpCode(201)
  create(@Body(new ZodPipe(createTenantSchema)) dto: CreateTenantDto): Promise<TenantView> {
    return this.tenants.create(dto);
  }

  @ApiDoc({ summary: 'Get a tenant', response: tenantViewSchema })
  @Get(':tenantId')
  get(@CurrentPrincipal() principal: Principal, @Param('tenantId') tenantId: string): Promise<TenantView> {
    return this.tenants.get(tenantScope(principal, tenantId));
  }

  /** Limits are an operator's decision (they protect the platform), so tenants cannot raise their own. */
  @AdminOnly()
  @ApiDoc({
    summary: 'Update a tenant: name, intake limits at the gateway (null = the gateway default), and `enabled`, which pauses all its deliveries (admin)',
    body: updateTenantSchema,
    response: tenantViewSchema,
    example: { id: 'acme', name: 'Acme Inc', created_at: '2026-11-22T10:00:00.000Z', max_event_bytes: 1048576, rate_limit_per_second: 200, rate_limit_burst: 400, retention_days: null, enabled: true, enabled_changed_at: null },
  })
  @Patch(':tenantId')
  update(@Param('tenantId') tenantId: string, @Body(new ZodPipe(updateTenantSchema)) dto: UpdateTenantDto): Promise<TenantView> {
    return this.tenants.update(tenantId, dto);
  }
}
