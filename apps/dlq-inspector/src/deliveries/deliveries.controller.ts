import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { type DeliveryDetail, deliveryDetailSchema, type DeliveryRetryView, deliveryRetryViewSchema, type DeliveryView, deliveryViewSchema, type ListPage, tenantIdSchema } from '@hookstream/contracts';
import { ApiDoc, CurrentPrincipal, type Principal, RequireScope, ZodPipe } from '@hookstream/platform';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { checkTimeRange, statusCodeText } from '../dead-letters/dead-letter-filter.js';
import { idempotencyKey, inspectorScope } from '../request-scope.js';
import { StatusStream } from '../status-stream/status-stream.js';
import { DeliveriesService } from './deliveries.service.js';
import { deliveryFilterFields } from './delivery-filter.js';

const listQuery = z
  .strictObject({
    tenant_id: tenantIdSchema.optional(),
    ...deliveryFilterFields,
    // Text only in a query: a number-or-text union makes generated clients fumble the parameter.
    status_code: statusCodeText.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(500).optional(),
  })
  .superRefine(checkTimeRange);

const tenantQuery = z.strictObject({ tenant_id: tenantIdSchema.optional() });
const streamQuery = tenantQuery.extend({ subscription_id: z.uuid().optional() });
const retryBody = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() });

@RequireScope('deliveries:read')
@Controller('v1/deliveries')
export class DeliveriesController {
  constructor(
    private readonly deliveries: DeliveriesService,
    private readonly stream: StatusStream,
  ) {}

  @ApiDoc({
    summary: 'List deliveries, newest first, by subscription, event type, status, last HTTP status code (503 or 5xx) and creation time',
    query: listQuery,
    response: z.object({ data: z.array(deliveryViewSchema), next_cursor: z.string().nullable() }),
  })
  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query(new ZodPipe(listQuery)) q: z.infer<typeof listQuery>): Promise<ListPage<DeliveryView>> {
    const { tenant_id: tenantId, limit, cursor, ...filter } = q;
    return this.deliveries.list(inspectorScope(principal, tenantId), { filter, limit, ...(cursor ? { cursor } : {}) });
  }

  @ApiDoc({
    summary: 'Live attempt outcomes (Server-Sent Events, event "delivery-status"; a comment every 15 s keeps the connection open), optionally of one subscription',
    query: streamQuery,
    response: 'text',
  })
  @Get('stream')
  watch(@CurrentPrincipal() principal: Principal, @Query(new ZodPipe(streamQuery)) q: z.infer<typeof streamQuery>, @Req() req: Request, @Res() res: Response): void {
    this.stream.attach(req, res, { tenantId: inspectorScope(principal, q.tenant_id), subscriptionId: q.subscription_id ?? null });
  }

  @ApiDoc({ summary: 'Get a delivery with every attempt (request headers as sent, redacted; status; truncated answer; duration; error class) and its retries', query: tenantQuery, response: deliveryDetailSchema })
  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Query(new ZodPipe(tenantQuery)) q: z.infer<typeof tenantQuery>): Promise<DeliveryDetail> {
    return this.deliveries.get(inspectorScope(principal, q.tenant_id), id);
  }

  @ApiDoc({
    summary: 'Send a delivery again now, whatever its state, keeping its webhook-id (audited with who, when and the reason given; Idempotency-Key: the same key never sends twice)',
    query: tenantQuery,
    body: retryBody,
    response: deliveryRetryViewSchema,
  })
  @RequireScope('deliveries:retry')
  @Post(':id/retry')
  @HttpCode(202)
  retry(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query(new ZodPipe(tenantQuery)) q: z.infer<typeof tenantQuery>,
    @Body(new ZodPipe(retryBody)) body: z.infer<typeof retryBody>,
    @Headers('idempotency-key') rawKey?: string,
  ): Promise<DeliveryRetryView> {
    const key = idempotencyKey(rawKey);
    return this.deliveries.retry(inspectorScope(principal, q.tenant_id), id, principal, { reason: body.reason ?? null, ...(key ? { idempotencyKey: key } : {}) });
  }
}
