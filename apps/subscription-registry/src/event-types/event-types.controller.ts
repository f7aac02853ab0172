import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiDoc, CurrentPrincipal, type Principal, RequireScope, tenantScope, ZodPipe } from '@hookstream/platform';
import { z } from 'zod';
import {
  catalogModeSchema,
  catalogModeViewSchema,
  eventTypePageSchema,
  eventTypeViewSchema,
  type CreateEventTypeDto,
  createEventTypeSchema,
  listEventTypesQuery,
  type UpdateEventTypeDto,
  updateEventTypeSchema,
} from './event-types.dto.js';
import { EventTypesService, type EventTypeView } from './event-types.service.js';

const tenantQuery = z.object({ tenant_id: z.string().optional() });

@RequireScope('subscriptions:read')
@Controller()
export class EventTypesController {
  constructor(private readonly eventTypes: EventTypesService) {}

  @ApiDoc({ summary: 'Add an event type to the catalog', body: createEventTypeSchema, query: tenantQuery, response: eventTypeViewSchema })
  @RequireScope('subscriptions:write')
  @Post('v1/event-types')
  @HttpCode(201)
  create(
    @CurrentPrincipal() principal: Principal,
    @Query(new ZodPipe(tenantQuery)) q: z.infer<typeof tenantQuery>,
    @Body(new ZodPipe(createEventTypeSchema)) dto: CreateEventTypeDto,
  ): Promise<EventTypeView> {
    return this.eventTypes.create(tenantScope(principal, q.tenant_id), dto);
  }

  @ApiDoc({ summary: 'List event types (filters: prefix, deprecated)', query: listEventTypesQuery, response: eventTypePageSchema })
  @Get('v1/event-types')
  list(@CurrentPrincipal() principal: Principal, @Query(new ZodPipe(listEventTypesQuery)) q: z.infer<typeof listEventTypesQuery>): Promise<{ data: EventTypeView[]; next_cursor: string | null }> {
    return this.eventTypes.list(tenantScope(principal, q.tenant_id), {
      prefix: q.prefix,
      deprecated: q.deprecated === undefined ? undefined : q.deprecated === 'true',
      limit: q.limit,
      cursor: q.cursor,
    });
  }

  @ApiDoc({ summary: 'Get an event type', query: tenantQuery, response: eventTypeViewSchema })
  @Get('v1/event-types/:name')
  get(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @Query(new ZodPipe(tenantQuery)) q: z.infer<typeof tenantQuery>): Promise<EventTypeView> {
    return this.eventTypes.get(tenantScope(principal, q.tenant_id), name);
  }

  @ApiDoc({ summary: 'Update an event type', body: updateEventTypeSchema, query: tenantQuery, response: eventTypeViewSchema })
  @RequireScope('subscriptions:write')
  @Patch('v1/event-types/:name')
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('name') name: string,
    @Query(new ZodPipe(tenantQuery)) q: z.infer<typeof tenantQuery>,
    @Body(new ZodPipe(updateEventTypeSchema)) dto: UpdateEventTypeDto,
  ): Promise<EventTypeView> {
    return this.eventTypes.update(tenantScope(principal, q.tenant_id), name, dto);
  }

  /** Switches the tenant's catalog between open (any type) and strict (known types only). */
  @ApiDoc({ summary: 'Switch the catalog between open and strict', body: catalogModeSchema, response: catalogModeViewSchema })
  @RequireScope('subscriptions:write')
  @Put('v1/tenants/:tenantId/catalog-mode')
  setMode(
    @CurrentPrincipal() principal: Principal,
    @Param('tenantId') tenantId: string,
    @Body(new ZodPipe(catalogModeSchema)) dto: z.infer<typeof catalogModeSchema>,
  ): Promise<{ tenant_id: string; strict_event_types: boolean }> {
    return this.eventTypes.setStrict(tenantScope(principal, tenantId), dto.strict_event_types);
  }
}
