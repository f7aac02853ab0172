import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { REPO_ROOT } from '@hookstream/testing';
import { ROUTES } from '../../libs/client/src/routes.js';

/** The SDK's types and routing table are generated from docs/openapi.json: they must say what it says. */
describe('@hookstream/client, generated', () => {
  it('is current with docs/openapi.json (regenerate: npm run client)', () => {
    expect(() => execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/client.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('routes every operation of the document to the service that serves it', () => {
    const doc = JSON.parse(readFileSync(join(REPO_ROOT, 'docs/openapi.json'), 'utf8')) as { paths: Record<string, Record<string, { servers: Array<{ variables: Record<string, unknown> }> }>> };
    const expected = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => [`${method.toUpperCase()} ${path}`, Object.keys(op.servers[0]?.variables ?? {})[0]]));
    expect(Object.entries(ROUTES)).toEqual(expected);
    expect(ROUTES['POST /v1/events']).toBe('ingressGateway');
    expect(ROUTES['GET /v1/events']).toBe('dlqInspector');
  });
});
