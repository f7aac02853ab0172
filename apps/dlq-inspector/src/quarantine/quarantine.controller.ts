import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { isoTimestampSchema, type ListPage, QUARANTINE_TOPICS, type QuarantinedDetail, quarantinedDetailSchema, type QuarantinedView, quarantinedViewSchema, type QuarantineRedrive, quarantineRedriveSchema, tenantIdSchema, TOPICS } from '@hookstream/contracts';
import { ApiDoc, CurrentPrincipal, type Principal, RequireScope, ZodPipe } from '@hookstream/platform';
import { z } from 'zod';
import { checkTimeRange } from '../dead-letters/dead-letter-filter.js';
import { inspectorScope } from '../request-scope.js';
import { QuarantineService } from './quarantine.service.js';

const sourceTopics = Object.keys(QUARANTINE_TOPICS).map((k) => TOPICS[k as keyof typeof QUARANTINE_TOPICS]) as [string, ...string[]];

const listQuery = z
  .strictObject({
    tenant_id: tenantIdSchema.optional(),
    /** The topic it was consumed from, as docs/architecture.md names it. */
    topic: z.enum(sourceTopics).optional(),
    code: z.string().regex(/^[a-z0-9_]{1,100}$/, 'must be a reason code such as validation_failed or pg_22008').optional(),
    status: z.enum(['quarantined', 'redriven']).optional(),
    /** Quarantined at or after this time. */
    since: isoTimestampSchema.optional(),
    /** Quarantined before this time. */
    until: isoTimestampSchema.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(500).optional(),
  })
  .superRefine(checkTimeRange);

const tenantQuery = z.strictObject({ tenant_id: tenantIdSchema.optional() });

/**
 * Messages consumers took out of their partitions. A tenant key sees the ones that name its
 * tenant; the ones that name no tenant (unreadable, or of no tenant) are for admin keys only.
 */
@RequireScope('deliveries:read')
@Controller('v1/quarantine')
export class QuarantineController {
  constructor(private readonly quarantine: QuarantineService) {}

  @ApiDoc({ summary: 'List quarantined messages, newest first, by source topic, tenant, reason code, status and time', query: listQuery, response: z.object({ data: z.array(quarantinedViewSchema), next_cursor: z.string().nullable() }) })
  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query(new ZodPipe(listQuery)) q: z.infer<typeof listQuery>): Promise<ListPage<QuarantinedView>> {
    const { tenant_id: tenantId, limit, cursor, ...filter } = q;
    return this.quarantine.list(inspectorScope(principal, tenantId), { filter, limit, ...(cursor ? { cursor } : {}) });
  }

  @ApiDoc({ summary: 'Get a quarantined message: its reason, its original key, value and headers', query: tenantQuery, response: quarantinedDetailSchema })
  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Query(new ZodPipe(tenantQuery)) q: z.infer<typeof tenantQuery>): Promise<QuarantinedDetail> {
    return this.quarantine.get(inspectorScope(principal, q.tenant_id), id);
  }

  @ApiDoc({ summary: 'Re-drive a quarantined message: its original bytes and headers go back to its source topic, once', query: tenantQuery, response: quarantineRedriveSchema })
  @RequireScope('deliveries:retry')
  @Post(':id/redrive')
  @HttpCode(202)
  redrive(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Query(new ZodPipe(tenantQuery)) q: z.infer<typeof tenantQuery>): Promise<QuarantineRedrive> {
    return this.quarantine.redrive(inspectorScope(principal, q.tenant_id), id, principal);
  }
}
