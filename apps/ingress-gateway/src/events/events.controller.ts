import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { eventEnvelopeSchema, parseWith } from '@hookstream/contracts';
import { z } from 'zod';
import { DomainError } from '@hookstream/domain';
import { ApiDoc, CurrentPrincipal, type Principal } from '@hookstream/platform';
import type { Response } from 'express';
import { CatalogValidator } from './catalog.validator.js';
import { IntakeService, type IntakeResult } from './intake.service.js';

@Controller('v1/events')
export class EventsController {
  constructor(
    private readonly intake: IntakeService,
    private readonly catalog: CatalogValidator,
  ) {}

  /**
   * 202 once the event is persisted and acknowledged by Kafka; a repeat of the same
   * (tenant, id) answers 200 with the original id and `"status": "duplicate"`.
   */
  @ApiDoc({
    summary: 'Publish an event (202 accepted; 200 for a duplicate id)',
    body: eventEnvelopeSchema.partial({ id: true, tenant_id: true }),
    response: z.object({ id: z.string(), status: z.enum(['accepted', 'duplicate']) }),
    example: { id: 'evt_01J', status: 'accepted' },
  })
  @Post()
  @HttpCode(202)
  async publish(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('traceparent') traceparent: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<IntakeResult> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new DomainError('validation_failed', 'the body must be a JSON object', [{ path: '(root)', message: 'expected an object' }]);
    }
    const candidate: Record<string, unknown> = { ...(body as Record<string, unknown>) };
    if (idempotencyKey !== undefined) {
      if (candidate['id'] !== undefined && candidate['id'] !== idempotencyKey) {
        throw new DomainError('validation_failed', 'Idempotency-Key and the body id differ', [{ path: 'id', message: 'must equal the Idempotency-Key header' }]);
      }
      candidate['id'] = idempotencyKey;
    }
    if (principal.kind === 'tenant' && candidate['tenant_id'] === undefined) candidate['tenant_id'] = principal.tenantId;
    const parsed = parseWith(eventEnvelopeSchema, candidate);
    if (!parsed.ok) throw new DomainError('validation_failed', `invalid event: ${parsed.errors.map((e) => e.path).join(', ')}`, parsed.errors);
    if (principal.kind === 'tenant' && parsed.value.tenant_id !== principal.tenantId) {
      throw new DomainError('forbidden', 'this API key cannot publish for another tenant');
    }
    const catalogErrors = (await this.catalog.validate([parsed.value])).get(0);
    if (catalogErrors) throw new DomainError('validation_failed', `event rejected by the catalog: ${catalogErrors.map((e) => e.path).join(', ')}`, catalogErrors);
    const [result] = await this.intake.accept([{ envelope: parsed.value, traceparent: traceparent ?? null }], 'http');
    if (!result) throw new DomainError('internal', 'no intake result');
    res.status(result.status === 'accepted' ? 202 : 200);
    return result;
  }
}
