import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiDoc, CurrentPrincipal, type Principal, RequireScope, tenantScope, ZodPipe } from '@hookstream/platform';
import type { z } from 'zod';
import {
  type CreateSubscriptionDto,
  createdSubscriptionSchema,
  createSubscriptionSchema,
  endpointTestResultSchema,
  rotatedSecretSchema,
  secretListSchema,
  subscriptionPageSchema,
  subscriptionViewSchema,
  type EndpointTestDto,
  endpointTestSchema,
  listPageQuerySchema,
  listQuerySchema,
  type MatchDto,
  matchResultSchema,
  matchSchema,
  type RotateSecretDto,
  rotateSecretSchema,
  type UpdateSubscriptionDto,
  updateSubscriptionSchema,
} from './subscriptions.dto.js';
import { type EndpointTestResult, EndpointTestService } from './endpoint-test.service.js';
import { MatchService, type MatchResult } from './match.service.js';
import { type SecretView, SubscriptionsService, type SubscriptionView } from './subscriptions.service.js';

@RequireScope('subscriptions:read')
@Controller('v1/subscriptions')
export class SubscriptionsController {
  constructor(
    private readonly subscriptions: SubscriptionsService,
    private readonly endpointTest: EndpointTestService,
    private readonly matcher: MatchService,
  ) {}

  @ApiDoc({
    summary: 'Create a subscription (endpoint)',
    body: createSubscriptionSchema,
    query: listQuerySchema,
    response: createdSubscriptionSchema,
    // Whole, as the route answers it: the reference's lint checks every example against its schema.
    example: {
      id: '6f1c2a4e-8d0b-4c55-9a43-2f9e5b1d7c10',
      tenant_id: 'acme',
      url: 'https://erp.partner.example/hooks',
      name: 'Partner ERP',
      description: null,
      event_types: ['order.*'],
      excluded_event_types: [],
      filter: null,
      enabled: true,
      disabled_reason: null,
      retry_policy: null,
      timeout_ms: 15000,
      headers: {},
      metadata: {},
      rate_limit_per_second: null,
      max_concurrency: null,
      signature_scheme: 'standard',
      signature_header: null,
      egress_proxy: null,
      ordering: 'none',
      on_dead_letter: 'skip',
      ordering_backlog_max: 10_000,
      batch: null,
      version: 1,
      updated_at: '2026-12-06T21:43:27.055Z',
      created_at: '2026-12-06T21:43:27.055Z',
      config_key: null,
      created_by: 'k_3f9a1c2e7b4d',
      auth: null,
      secret: 'whsec_HuwYELxSV2GCCI1FyD7q+gcqIO7M2WWAu11WyRClhbE=',
      public_key: null,
    },
  })
  @RequireScope('subscriptions:write')
  @Post()
  @HttpCode(201)
  create(
    @CurrentPrincipal() principal: Principal,
    @Body(new ZodPipe(createSubscriptionSchema)) dto: CreateSubscriptionDto,
  ): Promise<SubscriptionView & { secret: string | null; public_key: string | null }> {
    return this.subscriptions.create(tenantScope(principal, dto.tenant_id), dto, principal.keyId);
  }

  /** A dry run of routing: which subscriptions would receive an event of this type, and why not the others. */
  @ApiDoc({
    summary: 'Which subscriptions would receive an event, and why the others would not',
    body: matchSchema,
    response: matchResultSchema,
    example: {
      tenant_id: 'acme',
      event_type: 'order.placed',
      accepted: true,
      errors: [],
      receivers: [{ subscription_id: '6f1c2a4e-8d0b-4c55-9a43-2f9e5b1d7c10', name: 'Partner ERP', url: 'https://erp.partner.example/hooks', matched_filter: 'order.*' }],
      skipped: [{ subscription_id: '0b7e4c1a-2f3d-4e5f-8a9b-1c2d3e4f5a6b', name: 'Billing', url: 'https://billing.example/in', reasons: [{ code: 'no_matching_filter', message: 'none of its filters (invoice.*) matches order.placed' }] }],
    },
  })
  @Post('match')
  @HttpCode(200)
  match(@CurrentPrincipal() principal: Principal, @Body(new ZodPipe(matchSchema)) dto: MatchDto): Promise<MatchResult> {
    return this.matcher.match(tenantScope(principal, dto.tenant_id), dto);
  }

  @ApiDoc({ summary: 'List subscriptions', query: listPageQuerySchema, response: subscriptionPageSchema })
  @Get()
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query(new ZodPipe(listPageQuerySchema)) query: z.infer<typeof listPageQuerySchema>,
  ): Promise<{ data: SubscriptionView[]; next_cursor: string | null }> {
    return this.subscriptions.list(tenantScope(principal, query.tenant_id), query.limit, query.cursor);
  }

  @ApiDoc({ summary: 'Get a subscription', query: listQuerySchema, response: subscriptionViewSchema })
  @Get(':id')
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query(new ZodPipe(listQuerySchema)) query: z.infer<typeof listQuerySchema>,
  ): Promise<SubscriptionView> {
    return this.subscriptions.get(tenantScope(principal, query.tenant_id), id);
  }

  @ApiDoc({ summary: 'Update a subscription (filters, headers, limits, enable/disable, …)', body: updateSubscriptionSchema, query: listQuerySchema, response: subscriptionViewSchema })
  @RequireScope('subscriptions:write')
  @Patch(':id')
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query(new ZodPipe(listQuerySchema)) query: z.infer<typeof listQuerySchema>,
    @Body(new ZodPipe(updateSubscriptionSchema)) dto: UpdateSubscriptionDto,
  ): Promise<SubscriptionView> {
    return this.subscriptions.update(tenantScope(principal, query.tenant_id), id, dto);
  }

  @ApiDoc({ summary: 'Delete a subscription', query: listQuerySchema, response: null })
  @RequireScope('subscriptions:write')
  @Delete(':id')
  @HttpCode(204)
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query(new ZodPipe(listQuerySchema)) query: z.infer<typeof listQuerySchema>,
  ): Promise<void> {
    await this.subscriptions.remove(tenantScope(principal, query.tenant_id), id);
  }

  @ApiDoc({ summary: 'Reveal the active signing secrets (ed25519: public keys only)', query: listQuerySchema, response: secretListSchema })
  @RequireScope('secrets:reveal')
  @Get(':id/secret')
  async revealSecret(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query(new ZodPipe(listQuerySchema)) query: z.infer<typeof listQuerySchema>,
  ): Promise<{ data: SecretView[] }> {
    return { data: await this.subscriptions.revealSecrets(tenantScope(principal, query.tenant_id), id) };
  }

  @ApiDoc({ summary: 'Rotate the signing secret with an overlap window', body: rotateSecretSchema, query: listQuerySchema, response: rotatedSecretSchema })
  @RequireScope('secrets:reveal')
  @Post(':id/secret/rotate')
  @HttpCode(200)
  rotateSecret(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query(new ZodPipe(listQuerySchema)) query: z.infer<typeof listQuerySchema>,
    @Body(new ZodPipe(rotateSecretSchema)) dto: RotateSecretDto,
  ): Promise<{ secret: SecretView; previous_expires_at: string }> {
    return this.subscriptions.rotateSecret(tenantScope(principal, query.tenant_id), id, dto);
  }

  /** Sends a signed sample event now and answers with what the receiver said. */
  @ApiDoc({ summary: 'Send a signed sample event now and report the answer', body: endpointTestSchema, query: listQuerySchema, response: endpointTestResultSchema })
  @RequireScope('subscriptions:write')
  @Post(':id/test')
  @HttpCode(200)
  test(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query(new ZodPipe(listQuerySchema)) query: z.infer<typeof listQuerySchema>,
    @Body(new ZodPipe(endpointTestSchema)) dto: EndpointTestDto,
  ): Promise<EndpointTestResult> {
    return this.endpointTest.test(tenantScope(principal, query.tenant_id), id, dto);
  }
}
