import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { AdminOnly, CurrentPrincipal, type Principal, tenantScope, ZodPipe } from '@hookstream/platform';
import { type CreateTenantDto, createTenantSchema } from './tenants.dto.js';
import { TenantsService, type TenantView } from './tenants.service.js';

@Controller('v1/tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @AdminOnly()
  @Post()
  @HttpCode(201)
  create(@Body(new ZodPipe(createTenantSchema)) dto: CreateTenantDto): Promise<TenantView> {
    return this.tenants.create(dto);
  }

  @Get(':tenantId')
  get(@CurrentPrincipal() principal: Principal, @Param('tenantId') tenantId: string): Promise<TenantView> {
    return this.tenants.get(tenantScope(principal, tenantId));
  }
}
