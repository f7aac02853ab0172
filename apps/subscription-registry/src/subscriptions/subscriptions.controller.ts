import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { CurrentPrincipal, type Principal, tenantScope, ZodPipe } from '@hookstream/platform';
import type { z } from 'zod';
import {
  type CreateSubscriptionDto,
  createSubscriptionSchema,
  type EndpointTestDto,
  endpointTestSchema,
  listPageQuerySchema,
  listQuerySchema,
  type RotateSecretDto,
  rotateSecretSchema,
  type UpdateSubscriptionDto,
  updateSubscriptionSchema,
} from './subscriptions.dto.js';
import { type EndpointTestResult, EndpointTestService } from './endpoint-test.service.js';
import { type SecretView, SubscriptionsService, type SubscriptionView } from './subscriptions.service.js';

@Controller('v1/subscriptions')
export class SubscriptionsController {
  constructor(
    private readonly subscriptions: SubscriptionsService,
    private readonly endpointTest: EndpointTestService,
  ) {}

  @Post()
  @HttpCode(201)
  create(
    @CurrentPrincipal() principal: Principal,
    @Body(new ZodPipe(createSubscriptionSchema)) dto: CreateSubscriptionDto,
  ): Promise<SubscriptionView & { secret: string | null; public_key: string | null }> {
    return this.subscriptions.create(tenantScope(principal, dto.tenant_id), dto);
  }

  @Get()
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query(new ZodPipe(listPageQuerySchema)) query: z.infer<typeof listPageQuerySchema>,
  ): Promise<{ data: SubscriptionView[]; next_cursor: string | null }> {
    return this.subscriptions.list(tenantScope(principal, query.tenant_id), query.limit, query.cursor);
  }

  @Get(':id')
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query(new ZodPipe(listQuerySchema)) query: z.infer<typeof listQuerySchema>,
  ): Promise<SubscriptionView> {
    return this.subscriptions.get(tenantScope(principal, query.tenant_id), id);
  }

  @Patch(':id')
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query(new ZodPipe(listQuerySchema)) query: z.infer<typeof listQuerySchema>,
    @Body(new ZodPipe(updateSubscriptionSchema)) dto: UpdateSubscriptionDto,
  ): Promise<SubscriptionView> {
    return this.subscriptions.update(tenantScope(principal, query.tenant_id), id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query(new ZodPipe(listQuerySchema)) query: z.infer<typeof listQuerySchema>,
  ): Promise<void> {
    await this.subscriptions.remove(tenantScope(principal, query.tenant_id), id);
  }

  @Get(':id/secret')
  async revealSecret(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query(new ZodPipe(listQuerySchema)) query: z.infer<typeof listQuerySchema>,
  ): Promise<{ data: SecretView[] }> {
    return { data: await this.subscriptions.revealSecrets(tenantScope(principal, query.tenant_id), id) };
  }

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
