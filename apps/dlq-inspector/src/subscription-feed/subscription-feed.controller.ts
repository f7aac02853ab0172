import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { type CreatedReplayJob, createdReplayJobSchema, type FeedPage, feedPageSchema, type ReplayJobDryRun, replayJobDryRunSchema, tenantIdSchema } from '@hookstream/contracts';
import { ApiDoc, CurrentPrincipal, type Principal, RequireScope, ZodPipe } from '@hookstream/platform';
import type { Response } from 'express';
import { z } from 'zod';
import { idempotencyKey, inspectorScope } from '../request-scope.js';
import { answer } from '../replay-jobs/submitted.js';
import { recoverSchema } from '../replay-jobs/replay-jobs.dto.js';
import { ReplayJobsService } from '../replay-jobs/replay-jobs.service.js';
import { SubscriptionFeedService } from './subscription-feed.service.js';

const feedQuery = z.strictObject({
  tenant_id: tenantIdSchema.optional(),
  /** A `cursor` or `next_cursor` from an earlier read; absent: from the start. */
  after: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const recoverBody = recoverSchema.omit({ subscription_id: true });

const feedExample = {
  data: [
    {
      cursor: 'WyI3NTMyMTAiLCI0MTIwMDEiXQ',
      event: { id: 'evt_01J9ZK3M8Q', type: 'order.placed', occurred_at: '2026-12-07T09:58:01.000Z', received_at: '2026-12-07T09:58:01.214Z', ordering_key: 'order-1042', data: { order_id: 1042, total: 99.5 }, expired: false },
      delivery: { id: '0e6f2b8c-5d0a-5f3e-9a61-7c2d4b8e1f03', status: 'dead', attempts: 0, last_status_code: null, last_error: 'the subscription is disabled (gone: its endpoint answered 410)', matched_at: '2026-12-07T09:58:01.240Z' },
    },
  ],
  next_cursor: 'WyI3NTMyMTAiLCI0MTIwMDEiXQ',
  has_more: false,
};

/** A subscription's catch-up: the events that matched it (pull or reconcile), and recover. */
@RequireScope('deliveries:read')
@Controller('v1/subscriptions')
export class SubscriptionFeedController {
  constructor(
    private readonly feed: SubscriptionFeedService,
    private readonly jobs: ReplayJobsService,
  ) {}

  @ApiDoc({
    summary: 'The catch-up feed: every event that matched the subscription, in the order matched, delivered or not, after a cursor (poll it to pull, or read it to reconcile after an outage)',
    query: feedQuery,
    response: feedPageSchema,
    example: feedExample,
  })
  @Get(':id/events')
  events(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Query(new ZodPipe(feedQuery)) q: z.infer<typeof feedQuery>): Promise<FeedPage> {
    return this.feed.read(inspectorScope(principal, q.tenant_id), id, q.after, q.limit);
  }

  @ApiDoc({
    summary: 'Recover the subscription: re-send what was not delivered since a time (its dead letters, including the events that matched while it was disabled), as a replay job at a bounded rate',
    body: recoverBody,
    idempotencyKey: true,
    rateLimited: true,
    response: z.union([createdReplayJobSchema, replayJobDryRunSchema]),
  })
  @RequireScope('deliveries:retry')
  @Post(':id/recover')
  @HttpCode(202)
  async recover(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body(new ZodPipe(recoverBody)) dto: z.infer<typeof recoverBody>,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CreatedReplayJob | ReplayJobDryRun> {
    return answer(res, await this.jobs.recover(inspectorScope(principal, dto.tenant_id), { ...dto, subscription_id: id }, principal, idempotencyKey(rawKey)));
  }
}
