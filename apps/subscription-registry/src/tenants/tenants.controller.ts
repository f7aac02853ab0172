import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { AdminOnly, ApiDoc, CurrentPrincipal, type Principal, tenantScope, ZodPipe } from '@hookstream/platform';
import { type CreateTenantDto, createTenantSchema, tenantViewSchema } from './tenants.dto.js';
import { TenantsService, type TenantView } from './tenants.service.js';

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
}
