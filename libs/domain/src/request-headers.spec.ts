import { describe, expect, it } from '@jest/globals';
import { REDACTED, redactHeaders } from './request-headers.js';

describe('redactHeaders', () => {
  const sent = {
    'user-agent': 'Hookstream/1',
    'content-type': 'application/json',
    'webhook-id': 'evt_1',
    'webhook-timestamp': '1790000000',
    'webhook-signature': 'v1,abc= v1,def=',
    Authorization: 'Bearer partner-token',
    'X-Api-Key': 'k-123',
    'X-Shop-Secret': 's3',
    'X-Team': 'payments',
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  };

  it('keeps what a partner needs to debug and replaces signatures and credentials', () => {
    expect(redactHeaders(sent)).toEqual({
      'user-agent': 'Hookstream/1',
      'content-type': 'application/json',
      'webhook-id': 'evt_1',
      'webhook-timestamp': '1790000000',
      'webhook-signature': REDACTED,
      authorization: REDACTED,
      'x-api-key': REDACTED,
      'x-shop-secret': REDACTED,
      'x-team': 'payments',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
  });

  it('redacts the legacy signature header the subscription names, whatever its case', () => {
    expect(redactHeaders({ 'X-Legacy-Sig': 'sha256=00ff', 'x-other': 'ok' }, { signatureHeader: 'x-legacy-sig' })).toEqual({ 'x-legacy-sig': REDACTED, 'x-other': 'ok' });
  });

  it('redacts any header whose value holds a configured secret, whatever its name', () => {
    const secret = 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0';
    expect(redactHeaders({ 'x-debug': `copy of ${secret}`, 'x-plain': 'plain' }, { secretValues: [secret, ''] })).toEqual({ 'x-debug': REDACTED, 'x-plain': 'plain' });
  });

  it('does not change its input', () => {
    const input = { Authorization: 'Bearer t' };
    redactHeaders(input);
    expect(input).toEqual({ Authorization: 'Bearer t' });
  });
});
