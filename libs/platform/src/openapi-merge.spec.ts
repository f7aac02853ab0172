import { describe, expect, it } from '@jest/globals';
import { publicApiDocument, type ServiceDocument } from './openapi-merge.js';

const op = (operationId: string, tag: string) => ({ operationId, tags: [tag], responses: { '404': { $ref: '#/components/responses/NotFound' } } });
const error = { type: 'object', properties: { code: { type: 'string' } } };
const doc = (paths: Record<string, Record<string, unknown>>, schemas: Record<string, unknown> = { Error: error }): Record<string, unknown> => ({ openapi: '3.1.0', paths, components: { schemas } });

describe('publicApiDocument', () => {
  const gateway: ServiceDocument = { service: 'ingress-gateway', baseUrl: 'http://127.0.0.1:3000', document: doc({ '/v1/events': { post: op('eventsPublish', 'Events') }, '/health/live': { get: op('healthLive', 'Health') } }) };
  const inspector: ServiceDocument = { service: 'dlq-inspector', baseUrl: 'http://127.0.0.1:3004', document: doc({ '/v1/events': { get: op('eventHistoryList', 'Event history') } }) };
  const dispatcher: ServiceDocument = { service: 'dispatcher', baseUrl: 'http://127.0.0.1:3002', document: doc({ '/metrics': { get: op('metricsScrape', 'Metrics') } }, { Other: {} }) };

  it('keeps the API operations, each with its service as a server variable, and drops probes, metrics and docs', () => {
    const merged = publicApiDocument([gateway, dispatcher, inspector]) as { paths: Record<string, Record<string, { servers: Array<{ url: string; variables: Record<string, { default: string }> }> }>>; servers: unknown[]; tags: Array<{ name: string }>; components: { schemas: Record<string, unknown> } };
    expect(Object.keys(merged.paths)).toEqual(['/v1/events']);
    expect(Object.keys(merged.paths['/v1/events'] ?? {})).toEqual(['post', 'get']);
    expect(merged.paths['/v1/events']?.['post']?.servers).toEqual([{ url: '{ingressGateway}', description: 'ingress-gateway', variables: { ingressGateway: { default: 'http://127.0.0.1:3000', description: "Where this deployment's ingress-gateway answers" } } }]);
    expect(merged.paths['/v1/events']?.['get']?.servers[0]?.variables['dlqInspector']?.default).toBe('http://127.0.0.1:3004');
    expect(merged.servers).toEqual([{ url: 'http://127.0.0.1:3000', description: 'ingress-gateway; each operation names the service that serves it' }]);
    expect(merged.tags.map((t) => t.name)).toEqual(['Event history', 'Events']);
    // A service with no API operation (the dispatcher) adds nothing, not even its components.
    expect(Object.keys(merged.components.schemas)).toEqual(['Error']);
  });

  it('refuses an operationId used twice, an operation served twice, and a component defined two ways', () => {
    const twin: ServiceDocument = { ...inspector, document: doc({ '/v1/deliveries': { get: op('eventsPublish', 'Deliveries') } }) };
    expect(() => publicApiDocument([gateway, twin])).toThrow('operationId eventsPublish is used by ingress-gateway POST /v1/events and dlq-inspector GET /v1/deliveries');
    const again: ServiceDocument = { ...inspector, document: doc({ '/v1/events': { post: op('eventsPublishAgain', 'Events') } }) };
    expect(() => publicApiDocument([gateway, again])).toThrow('dlq-inspector POST /v1/events is served by two services');
    const drifted: ServiceDocument = { ...inspector, document: doc({ '/v1/deliveries': { get: op('deliveriesList', 'Deliveries') } }, { Error: { type: 'string' } }) };
    expect(() => publicApiDocument([gateway, drifted])).toThrow('components.schemas.Error differs between services (dlq-inspector)');
  });
});
