import { Controller, HttpCode, Param, Post, type RawBodyRequest, Req } from '@nestjs/common';
import { ApiDoc, PartnerPayload, Public } from '@hookstream/platform';
import type { Request } from 'express';
import { z } from 'zod';
import { CallbacksService } from './callbacks.service.js';
import { type CallbackResult, callbackResultSchema } from './integrations.dto.js';

/** Whatever the provider sends; the signature is checked over its exact bytes. */
const providerPayload = z.record(z.string(), z.unknown()).describe('The provider’s own payload: JSON, or a form post (PayFast ITN)');

@Controller('v1/incoming')
export class CallbacksController {
  constructor(private readonly callbacks: CallbacksService) {}

  /**
   * Public (no API key): the provider proves itself with its signature. 200 for an accepted or
   * duplicate event (providers retry anything else); 401 bad signature or stale timestamp,
   * 403 disabled or source address not allowed, 404 unknown integration, 413/415, 422 a payload
   * that cannot become an event, 429 too many, 503 not yet published (retry).
   */
  @Public()
  @PartnerPayload()
  @ApiDoc({
    summary: 'Receive a partner callback (stripe, github, payfast, standard-webhooks, hmac): verified, then published as <provider>.<type>',
    rateLimited: true,
    body: providerPayload,
    bodyMediaTypes: ['application/json', 'application/x-www-form-urlencoded'],
    response: callbackResultSchema,
    example: { status: 'accepted', event_id: 'int_k3x7q2m4n5p6r7s2t3u4v5w6:evt_1NG8Du2eZvKYlo2C', event_type: 'stripe.payment_intent.succeeded' },
  })
  @Post(':provider/:integrationId')
  @HttpCode(200)
  receive(@Param('provider') provider: string, @Param('integrationId') integrationId: string, @Req() req: RawBodyRequest<Request>): Promise<CallbackResult> {
    return this.callbacks.receive({
      provider,
      integrationId,
      rawBody: req.rawBody ?? null,
      contentType: req.headers['content-type'] ?? null,
      header: (name) => {
        const value = req.headers[name.toLowerCase()];
        return Array.isArray(value) ? value.join(', ') : value;
      },
      peerAddress: req.socket.remoteAddress ?? '',
    });
  }
}
