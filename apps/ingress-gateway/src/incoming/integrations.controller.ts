import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiDoc, CurrentPrincipal, type Principal, RequireScope, tenantScope, ZodPipe } from '@hookstream/platform';
import type { z } from 'zod';
import {
  callbackPageSchema,
  type CallbackView,
  type CreateIntegrationDto,
  createIntegrationSchema,
  integrationPageSchema,
  type IntegrationView,
  integrationViewSchema,
  listCallbacksQuerySchema,
  listIntegrationsQuerySchema,
  tenantQuerySchema,
  type UpdateIntegrationDto,
  updateIntegrationSchema,
} from './integrations.dto.js';
import { IntegrationsService } from './integrations.service.js';

const example: IntegrationView = {
  id: 'int_k3x7q2m4n5p6r7s2t3u4v5w6',
  tenant_id: 'acme',
  provider: 'stripe',
  name: 'Stripe live account',
  status: 'active',
  settings: { tolerance_seconds: 300 },
  secret_fields: ['signing_secret'],
  previous_secrets_valid_until: null,
  callback_path: '/v1/incoming/stripe/int_k3x7q2m4n5p6r7s2t3u4v5w6',
  created_at: '2026-11-22T10:00:00.000Z',
  updated_at: '2026-11-22T10:00:00.000Z',
};

/** A tenant's partner integrations: where its Stripe, GitHub, PayFast, … callbacks come in. */
@RequireScope('integrations:manage')
@Controller('v1/integrations')
export class IntegrationsController {
  constructor(private readonly integrations: IntegrationsService) {}

  @ApiDoc({ summary: 'Register a partner integration (secrets are sealed and never shown again)', body: createIntegrationSchema, response: integrationViewSchema, example })
  @Post()
  @HttpCode(201)
  create(@CurrentPrincipal() principal: Principal, @Body(new ZodPipe(createIntegrationSchema)) dto: CreateIntegrationDto): Promise<IntegrationView> {
    return this.integrations.create(tenantScope(principal, dto.tenant_id), dto);
  }

  @ApiDoc({ summary: 'List integrations (filters: provider, status)', query: listIntegrationsQuerySchema, response: integrationPageSchema })
  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query(new ZodPipe(listIntegrationsQuerySchema)) q: z.infer<typeof listIntegrationsQuerySchema>): Promise<{ data: IntegrationView[]; next_cursor: string | null }> {
    return this.integrations.list(tenantScope(principal, q.tenant_id), q);
  }

  @ApiDoc({ summary: 'Get an integration (without its secrets)', query: tenantQuerySchema, response: integrationViewSchema, example })
  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Query(new ZodPipe(tenantQuerySchema)) q: z.infer<typeof tenantQuerySchema>): Promise<IntegrationView> {
    return this.integrations.get(tenantScope(principal, q.tenant_id), id);
  }

  @ApiDoc({ summary: 'Update an integration: name, settings, secrets (with an optional overlap), or disable it', body: updateIntegrationSchema, query: tenantQuerySchema, response: integrationViewSchema })
  @Patch(':id')
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query(new ZodPipe(tenantQuerySchema)) q: z.infer<typeof tenantQuerySchema>,
    @Body(new ZodPipe(updateIntegrationSchema)) dto: UpdateIntegrationDto,
  ): Promise<IntegrationView> {
    return this.integrations.update(tenantScope(principal, q.tenant_id), id, dto);
  }

  @ApiDoc({ summary: 'The callbacks an integration received, newest first (the audit trail)', query: listCallbacksQuerySchema, response: callbackPageSchema })
  @Get(':id/callbacks')
  callbacks(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query(new ZodPipe(listCallbacksQuerySchema)) q: z.infer<typeof listCallbacksQuerySchema>,
  ): Promise<{ data: CallbackView[]; next_cursor: string | null }> {
    return this.integrations.callbacks(tenantScope(principal, q.tenant_id), id, q);
  }
}
