import { describe, expect, it } from '@jest/globals';
import { upstreamFor } from './upstream.js';

const config = { INGRESS_GATEWAY_URL: 'http://127.0.0.1:3000', SUBSCRIPTION_REGISTRY_URL: 'http://127.0.0.1:3001', DLQ_INSPECTOR_URL: 'https://dlq.internal:8443/hookstream/' };
const target = (path: string, method = 'GET') => upstreamFor(new URL(path, 'http://console.invalid').pathname, new URL(path, 'http://console.invalid').search, method, config);

describe('what the console forwards', () => {
  it('sends /api/<service>/v1/… to that service, with the query and any base path kept', () => {
    expect(target('/api/dlq-inspector/v1/deliveries?status=dead&limit=5')).toEqual({ kind: 'forward', service: 'dlqInspector', url: new URL('https://dlq.internal:8443/hookstream/v1/deliveries?status=dead&limit=5') });
    expect(target('/api/subscription-registry/v1/subscriptions/x', 'PATCH')).toMatchObject({ kind: 'forward', url: new URL('http://127.0.0.1:3001/v1/subscriptions/x') });
    expect(target('/api/ingress-gateway/v1/events', 'POST')).toMatchObject({ kind: 'forward', service: 'ingressGateway' });
  });

  it('forwards nothing but the public API: no metrics, probes or documents, no other service, no climbing out', () => {
    for (const path of ['/api/dlq-inspector/metrics', '/api/dlq-inspector/health/ready', '/api/ingress-gateway/docs/openapi.json', '/api/dispatcher/v1/x', '/api/retry-scheduler/v1/x', '/api/dlq-inspector/v1/../metrics', '/api/dlq-inspector/v1/%2e%2e/metrics', '/api/dlq-inspector', '/api/DLQ-INSPECTOR/v1/deliveries', '/api//dlq-inspector/v1/deliveries']) {
      expect({ path, target: target(path) }).toEqual({ path, target: expect.objectContaining({ kind: 'refused', status: 404 }) });
    }
  });

  it('forwards the methods the API uses, and refuses the rest', () => {
    expect(target('/api/dlq-inspector/v1/deliveries', 'TRACE')).toMatchObject({ kind: 'refused', status: 405 });
    expect(target('/api/dlq-inspector/v1/deliveries', 'CONNECT')).toMatchObject({ kind: 'refused', status: 405 });
    expect(target('/api/dlq-inspector/v1/deliveries', 'DELETE')).toMatchObject({ kind: 'forward' });
  });
});
