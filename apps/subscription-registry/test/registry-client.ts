import { randomBytes } from 'node:crypto';
import { expect } from '@jest/globals';

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** Calls a registry process's API, and creates tenants with a key through it. */
export function registryClient(url: () => string, adminKey: () => string) {
  async function call(method: string, path: string, key: string | null, body?: unknown): Promise<Answer> {
    const res = await fetch(`${url()}${path}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
  }

  async function tenantWithKey(prefix = 't') {
    const id = `${prefix}_${randomBytes(4).toString('hex')}`;
    expect((await call('POST', '/v1/tenants', adminKey(), { id, name: id })).status).toBe(201);
    const key = await call('POST', `/v1/tenants/${id}/api-keys`, adminKey(), { name: 'test' });
    expect(key.status).toBe(201);
    return { id, key: String(key.body['key']) };
  }

  return { call, tenantWithKey };
}
