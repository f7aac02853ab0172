import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiDoc, CurrentPrincipal, type Principal, RequireScope, tenantScope, ZodPipe } from '@hookstream/platform';
import type { z } from 'zod';
import { apiKeyPageSchema, apiKeyViewSchema, type CreateApiKeyDto, createApiKeySchema, createdApiKeySchema, listKeysQuerySchema } from './api-keys.dto.js';
import { type ApiKeyView, ApiKeysService } from './api-keys.service.js';

/** A tenant manages its own keys; an admin manages anyone's. */
@RequireScope('keys:manage')
@Controller('v1/tenants/:tenantId/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @ApiDoc({ summary: 'Create an API key (shown once)', body: createApiKeySchema, response: createdApiKeySchema })
  @Post()
  @HttpCode(201)
  create(
    @CurrentPrincipal() principal: Principal,
    @Param('tenantId') tenantId: string,
    @Body(new ZodPipe(createApiKeySchema)) dto: CreateApiKeyDto,
  ): Promise<ApiKeyView & { key: string }> {
    return this.keys.create(tenantScope(principal, tenantId), dto, principal);
  }

  @ApiDoc({ summary: 'List API keys (no secrets), with last-used time', query: listKeysQuerySchema, response: apiKeyPageSchema })
  @Get()
  list(
    @CurrentPrincipal() principal: Principal,
    @Param('tenantId') tenantId: string,
    @Query(new ZodPipe(listKeysQuerySchema)) q: z.infer<typeof listKeysQuerySchema>,
  ): Promise<{ data: ApiKeyView[]; next_cursor: string | null }> {
    return this.keys.list(tenantScope(principal, tenantId), q.limit, q.cursor);
  }

  @ApiDoc({ summary: 'Revoke an API key', response: apiKeyViewSchema })
  @Post(':keyId/revoke')
  @HttpCode(200)
  revoke(@CurrentPrincipal() principal: Principal, @Param('tenantId') tenantId: string, @Param('keyId') keyId: string): Promise<ApiKeyView> {
    return this.keys.revoke(tenantScope(principal, tenantId), keyId, principal);
  }
}
