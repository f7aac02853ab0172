import { Controller, Get, Param, Query } from '@nestjs/common';
import { deliveryViewSchema, type DeliveryView, eventIdSchema, eventViewSchema, type EventView, isoTimestampSchema, type ListPage, tenantIdSchema } from '@hookstream/contracts';
import { ApiDoc, CurrentPrincipal, type Principal, RequireScope, ZodPipe } from '@hookstream/platform';
import { z } from 'zod';
import { checkTimeRange, deadLetterFilterFields } from '../dead-letters/dead-letter-filter.js';
import { inspectorScope } from '../request-scope.js';
import { DeliveriesService } from './deliveries.service.js';

const page = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
};
const listQuery = z
  .strictObject({
    tenant_id: tenantIdSchema.optional(),
    /** An exact type, a prefix such as `order.*`, or `*`. */
    type: deadLetterFilterFields.event_type,
    /** Received at or after this time. */
    since: isoTimestampSchema.optional(),
    until: isoTimestampSchema.optional(),
    ...page,
  })
  .superRefine(checkTimeRange);
const deliveriesQuery = z.strictObject({ tenant_id: tenantIdSchema.optional(), ...page });

/** The events the gateway accepted, and what each one caused. */
@RequireScope('deliveries:read')
@Controller('v1/events')
export class EventHistoryController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @ApiDoc({ summary: 'List accepted events, newest received first, by type and time received', query: listQuery, response: z.object({ data: z.array(eventViewSchema), next_cursor: z.string().nullable() }) })
  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query(new ZodPipe(listQuery)) q: z.infer<typeof listQuery>): Promise<ListPage<EventView>> {
    const { tenant_id: tenantId, type, since, until, limit, cursor } = q;
    return this.deliveries.events(inspectorScope(principal, tenantId), { limit, ...(type ? { type } : {}), ...(since ? { since } : {}), ...(until ? { until } : {}), ...(cursor ? { cursor } : {}) });
  }

  @ApiDoc({ summary: 'The deliveries one event caused, one per subscription it matched', query: deliveriesQuery, response: z.object({ data: z.array(deliveryViewSchema), next_cursor: z.string().nullable() }) })
  @Get(':id/deliveries')
  forEvent(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ZodPipe(eventIdSchema)) id: string,
    @Query(new ZodPipe(deliveriesQuery)) q: z.infer<typeof deliveriesQuery>,
  ): Promise<ListPage<DeliveryView>> {
    return this.deliveries.eventDeliveries(inspectorScope(principal, q.tenant_id), id, { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) });
  }
}
