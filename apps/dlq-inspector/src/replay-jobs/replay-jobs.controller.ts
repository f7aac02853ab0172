import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import {
  createdReplayJobSchema,
  type ListPage,
  type ReplayAuditView,
  replayAuditViewSchema,
  replayJobDryRunSchema,
  type ReplayJobView,
  replayJobViewSchema,
} from '@hookstream/contracts';
import { ApiDoc, CurrentPrincipal, type Principal, RequireScope, ZodPipe } from '@hookstream/platform';
import type { Response } from 'express';
import { z } from 'zod';
import { idempotencyKey, inspectorScope } from '../request-scope.js';
import { type CreateJobDto, createJobSchema, jobReplaysQuery, listJobsQuery, type RecoverDto, recoverSchema, tenantQuery } from './replay-jobs.dto.js';
import { ReplayJobsService } from './replay-jobs.service.js';
import { answer, type Submitted } from './submitted.js';

const jobExample = {
  id: '0b8f3c52-6a1e-4f7d-9c3b-2e5d8a1f4c67',
  tenant_id: 'acme',
  kind: 'recover',
  filter: { subscription_id: '6f1c2a4e-8d0b-4c55-9a43-2f9e5b1d7c10', since: '2026-11-22T02:00:00.000Z' },
  rate_per_second: 10,
  status: 'running',
  total: 1840,
  sent: 410,
  skipped: 2,
  pending: 1428,
  progress: 0.2239,
  requested_by: 'uv8jrjm66ag972ml',
  idempotency_key: 'recover-erp-2026-11-22',
  created_at: '2026-11-22T09:12:00.000Z',
  started_at: '2026-11-22T09:12:00.120Z',
  finished_at: null,
  cancelled_by: null,
  last_error: null,
  created: true,
};

@RequireScope('deliveries:read')
@Controller('v1/replay-jobs')
export class ReplayJobsController {
  constructor(private readonly jobs: ReplayJobsService) {}

  @ApiDoc({
    summary: 'Replay every dead letter matching a filter, as a job at a bounded rate (Idempotency-Key: the same key never starts a second job)',
    body: createJobSchema,
    idempotencyKey: true,
    rateLimited: true,
    response: z.union([createdReplayJobSchema, replayJobDryRunSchema]),
    example: { ...jobExample, kind: 'bulk', filter: { error_class: 'timeout', since: '2026-11-22T02:00:00.000Z' } },
  })
  @RequireScope('deliveries:retry')
  @Post()
  @HttpCode(202)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body(new ZodPipe(createJobSchema)) dto: CreateJobDto,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Submitted> {
    return answer(res, await this.jobs.create(inspectorScope(principal, dto.tenant_id), dto, principal, idempotencyKey(rawKey)));
  }

  @ApiDoc({
    summary: 'Recover a subscription: re-send its dead letters that died since a time, as a job at a bounded rate',
    body: recoverSchema,
    idempotencyKey: true,
    rateLimited: true,
    response: z.union([createdReplayJobSchema, replayJobDryRunSchema]),
    example: jobExample,
  })
  @RequireScope('deliveries:retry')
  @Post('recover')
  @HttpCode(202)
  async recover(
    @CurrentPrincipal() principal: Principal,
    @Body(new ZodPipe(recoverSchema)) dto: RecoverDto,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Submitted> {
    return answer(res, await this.jobs.recover(inspectorScope(principal, dto.tenant_id), dto, principal, idempotencyKey(rawKey)));
  }

  @ApiDoc({ summary: 'List replay jobs, newest first', query: listJobsQuery, response: z.object({ data: z.array(replayJobViewSchema), next_cursor: z.string().nullable() }) })
  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query(new ZodPipe(listJobsQuery)) q: z.infer<typeof listJobsQuery>): Promise<ListPage<ReplayJobView>> {
    return this.jobs.list(inspectorScope(principal, q.tenant_id), q.status, q.limit, q.cursor);
  }

  @ApiDoc({ summary: 'A replay job and its progress', query: tenantQuery, response: replayJobViewSchema, example: { ...jobExample, created: undefined } })
  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Query(new ZodPipe(tenantQuery)) q: z.infer<typeof tenantQuery>): Promise<ReplayJobView> {
    return this.jobs.get(inspectorScope(principal, q.tenant_id), id);
  }

  @ApiDoc({ summary: 'Cancel a replay job: nothing more is sent once this answers', query: tenantQuery, response: replayJobViewSchema })
  @RequireScope('deliveries:retry')
  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Query(new ZodPipe(tenantQuery)) q: z.infer<typeof tenantQuery>): Promise<ReplayJobView> {
    return this.jobs.cancel(inspectorScope(principal, q.tenant_id), id, principal);
  }

  @ApiDoc({
    summary: 'A replay job’s audit: each dead letter it set out to replay and what came of it',
    query: jobReplaysQuery,
    response: z.object({ data: z.array(replayAuditViewSchema.extend({ delivery_id: z.string() })), next_cursor: z.string().nullable() }),
  })
  @Get(':id/replays')
  replays(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query(new ZodPipe(jobReplaysQuery)) q: z.infer<typeof jobReplaysQuery>,
  ): Promise<ListPage<ReplayAuditView & { delivery_id: string }>> {
    return this.jobs.replays(inspectorScope(principal, q.tenant_id), id, q.status, q.limit, q.cursor);
  }
}
