import { Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { tenantIdSchema } from '@hookstream/contracts';
import { CurrentPrincipal, type Principal, ZodPipe } from '@hookstream/platform';
import { z } from 'zod';
import { type DeadLetterView, DeadLettersService, type ReplayView } from './dead-letters.service.js';

const listQuery = z.object({
  tenant_id: tenantIdSchema.optional(),
  subscription_id: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});

const tenantQuery = z.object({ tenant_id: tenantIdSchema.optional() });

/** A tenant key sees its own dead letters; an admin key sees every tenant's (or one, with tenant_id). */
function scope(principal: Principal, requested: string | undefined): string | null {
  if (principal.kind === 'tenant') return principal.tenantId;
  return requested ?? null;
}

@Controller('v1/dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

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

  @Get(':id')
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query(new ZodPipe(tenantQuery)) q: z.infer<typeof tenantQuery>,
  ): Promise<DeadLetterView & { payload: unknown }> {
    return this.deadLetters.get(scope(principal, q.tenant_id), id);
  }

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
