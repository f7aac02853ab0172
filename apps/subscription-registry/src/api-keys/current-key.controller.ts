import { Controller, Get } from '@nestjs/common';
import { TENANT_SCOPES } from '@hookstream/domain';
import { AnyKey, ApiDoc, CurrentPrincipal, type Principal } from '@hookstream/platform';
import { currentKeySchema, type CurrentKeyView } from './api-keys.dto.js';

/**
 * What the calling key is: its tenant and scopes. Any valid key may ask about itself, so a client
 * (the web console) can offer only what the key may do; every route still checks its scope.
 */
@Controller('v1/api-keys')
export class CurrentKeyController {
  @ApiDoc({ summary: 'The calling key: its tenant and scopes (any valid key may ask)', response: currentKeySchema, area: 'ApiKeys' })
  @AnyKey()
  @Get('current')
  current(@CurrentPrincipal() principal: Principal): CurrentKeyView {
    if (principal.kind === 'admin') return { key_id: principal.keyId, kind: 'admin', tenant_id: null, scopes: [...TENANT_SCOPES] };
    return { key_id: principal.keyId, kind: 'tenant', tenant_id: principal.tenantId, scopes: [...principal.scopes] };
  }
}
