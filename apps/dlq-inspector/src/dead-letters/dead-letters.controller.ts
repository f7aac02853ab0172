import { Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { tenantIdSchema } from '@hookstream/contracts';
import { ApiDoc, CurrentPrincipal, type Principal, ZodPipe } from '@hookstream/platform';
import { z } from 'zod';
import { type DeadLetterView, DeadLettersService, type ReplayView } from './dead-letters.service.js';

const listQuery = z.object({
  tenant_id: tenantIdSchema.optional(),
  subscription_id: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});

const tenantQuery = z.object({ tenant_id: tenantIdSchema.optional() });

const deadLetterSchema = z.object({
  id: z.string(),
  tenant_id: z.string(),
  subscription_id: z.string(),
  event_id: z.string(),
  event_type: z.string(),
  reason: z.string(),
  error_class: z.string(),
  last_status_code: z.number().nullable(),
  attempts: z.number(),
  dead_at: z.string(),
  replayed_at: z.string().nullable(),
  replay_count: z.number(),
});
const replaySchema = z.object({ replay_id: z.string(), delivery_id: z.string(), status: z.string(), requested_at: z.string(), requested_by: z.string(), created: z.boolean() });

/** A tenant key sees its own dead letters; an admin key sees every tenant's (or one, with tenant_id). */
function scope(principal: Principal, requested: string | undefined): string | null {
  if (principal.kind === 'tenant') return principal.tenantId;
  return requested ?? null;
}

@Controller('v1/dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @ApiDoc({ summary: 'List dead letters', query: listQuery, response: z.object({ data: z.array(deadLetterSchema), next_cursor: z.string().nullable() }) })
  @Get()
  list(
    @CurrentPrincipal() principal: Principal,
    @Query(new ZodPipe(listQuery)) q: z.infer<typeof listQuery>,
  ): Promise<{ data: DeadLetterView[]; next_cursor: string | null }> {
    return this.deadLetters.list(scope(principal, q.tenant_id), {
      limit: q.limit,
      ...(q.subscription_id ? { subscriptionId: q.subscription_id } : {}),
      ...(q.cursor ? { cursor: q.cursor } : {}),
    });
  }

  @ApiDoc({ summary: 'Get a dead letter with its payload', query: tenantQuery, response: deadLetterSchema.extend({ payload: z.unknown(), headers_note: z.string() }) })
  @Get(':id')
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query(new ZodPipe(tenantQuery)) q: z.infer<typeof tenantQuery>,
  ): Promise<DeadLetterView & { payload: unknown }> {
    return this.deadLetters.get(scope(principal, q.tenant_id), id);
  }

  @ApiDoc({
    summary: 'Replay a dead letter (Idempotency-Key: the same key never sends twice)',
    query: tenantQuery,
    response: replaySchema,
    example: { replay_id: 'b3e0…', delivery_id: '3b6a5cd5-3750-5c3c-a02a-0fbc129a759f', status: 'sent', requested_at: '2026-11-22T12:33:12.182Z', requested_by: 'uv8jrjm66ag972ml', created: true },
  })
  @Post(':id/replay')
  @HttpCode(202)
  replay(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query(new ZodPipe(tenantQuery)) q: z.infer<typeof tenantQuery>,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<ReplayView> {
    return this.deadLetters.replay(scope(principal, q.tenant_id), id, principal, idempotencyKey);
  }
}
