import { Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { type DeadLetterDetail, deadLetterDetailSchema, type DeadLetterView, deadLetterViewSchema, type ListPage, type ReplayView, replayViewSchema, tenantIdSchema } from '@hookstream/contracts';
import { ApiDoc, CurrentPrincipal, type Principal, RequireScope, ZodPipe } from '@hookstream/platform';
import { z } from 'zod';
import { idempotencyKey, inspectorScope } from '../request-scope.js';
import { checkTimeRange, deadLetterFilterFields, statusCodeText } from './dead-letter-filter.js';
import { DeadLettersService } from './dead-letters.service.js';

const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

const listQuery = z
  .strictObject({
    tenant_id: tenantIdSchema.optional(),
    ...deadLetterFilterFields,
    // Text only in a query: a number-or-text union makes generated clients fumble the parameter.
    status_code: statusCodeText.optional(),
    /** false: only letters whose latest death nobody has replayed yet. */
    replayed: booleanQuery.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(500).optional(),
  })
  .superRefine(checkTimeRange);

const tenantQuery = z.strictObject({ tenant_id: tenantIdSchema.optional() });
const replayQuery = tenantQuery.extend({
  /** Send it even though its latest death was already replayed (needs an Idempotency-Key). */
  force: booleanQuery.optional(),
});


@RequireScope('deliveries:read')
@Controller('v1/dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @ApiDoc({ summary: 'List dead letters, newest first, by subscription, event type, time of death, last status code, error class', query: listQuery, response: z.object({ data: z.array(deadLetterViewSchema), next_cursor: z.string().nullable() }) })
  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query(new ZodPipe(listQuery)) q: z.infer<typeof listQuery>): Promise<ListPage<DeadLetterView>> {
    const { tenant_id: tenantId, limit, cursor, replayed, ...filter } = q;
    return this.deadLetters.list(inspectorScope(principal, tenantId), {
      filter,
      limit,
      ...(replayed === undefined ? {} : { replayed }),
      ...(cursor ? { cursor } : {}),
    });
  }

  @ApiDoc({ summary: 'Get a dead letter with its payload, its attempt history and its replays', query: tenantQuery, response: deadLetterDetailSchema })
  @Get(':id')
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query(new ZodPipe(tenantQuery)) q: z.infer<typeof tenantQuery>,
  ): Promise<DeadLetterDetail> {
    return this.deadLetters.get(inspectorScope(principal, q.tenant_id), id);
  }

  @ApiDoc({
    summary: 'Replay a dead letter (Idempotency-Key: the same key never sends twice; a death already replayed needs force=true)',
    idempotencyKey: true,
    query: replayQuery,
    response: replayViewSchema,
    example: {
      replay_id: 'b3e0c6f4-1d2a-4c7e-9f10-5a6b7c8d9e0f',
      job_id: null,
      delivery_id: '3b6a5cd5-3750-5c3c-a02a-0fbc129a759f',
      status: 'sent',
      requested_at: '2026-11-22T12:33:12.182Z',
      requested_by: 'uv8jrjm66ag972ml',
      generation: 1,
      sent_at: '2026-11-22T12:33:12.190Z',
      detail: null,
      created: true,
    },
  })
  @RequireScope('deliveries:retry')
  @Post(':id/replay')
  @HttpCode(202)
  replay(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query(new ZodPipe(replayQuery)) q: z.infer<typeof replayQuery>,
    @Headers('idempotency-key') rawKey?: string,
  ): Promise<ReplayView> {
    const key = idempotencyKey(rawKey);
    return this.deadLetters.replay(inspectorScope(principal, q.tenant_id), id, principal, { force: q.force ?? false, ...(key ? { idempotencyKey: key } : {}) });
  }
}
