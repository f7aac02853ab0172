import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { AdminOnly, ApiDoc, CurrentPrincipal, type Principal, RequireScope, tenantScope, ZodPipe } from '@hookstream/platform';
import { type LimitsView, limitsViewSchema, type PutLimitsDto, putLimitsSchema } from './quotas.dto.js';
import { QuotasService } from './quotas.service.js';

@RequireScope('subscriptions:read')
@Controller('v1/tenants')
export class QuotasController {
  constructor(private readonly quotas: QuotasService) {}

  /** A tenant sees its own (another tenant's id: 404); an admin any. */
  @ApiDoc({ summary: 'A tenant’s quotas: each limit, its default, the override and current usage', response: limitsViewSchema })
  @Get(':tenantId/limits')
  get(@CurrentPrincipal() principal: Principal, @Param('tenantId') tenantId: string): Promise<LimitsView> {
    return this.quotas.view(tenantScope(principal, tenantId));
  }

  /** Quotas protect the platform, so only an operator changes them. */
  @AdminOnly()
  @ApiDoc({ summary: 'Set a tenant’s quota overrides, replacing its previous ones (left out or null: the default; admin)', body: putLimitsSchema, response: limitsViewSchema })
  @Put(':tenantId/limits')
  put(@Param('tenantId') tenantId: string, @Body(new ZodPipe(putLimitsSchema)) dto: PutLimitsDto): Promise<LimitsView> {
    return this.quotas.setOverrides(tenantId, dto);
  }
}
