import { randomBytes } from 'node:crypto';
import { ServiceProcess, type ServiceName, SERVICES } from './processes.js';
import { freePort, type TestStack } from './stack.js';

export interface Pipeline {
  services: Record<ServiceName, ServiceProcess>;
  url(service: ServiceName): string;
  /** JSON over HTTP with an API key; returns status and parsed body. */
  call<T = Record<string, unknown>>(service: ServiceName, method: string, path: string, key: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T }>;
  /** A tenant with its own API key, created through the registry as an operator would. */
  createTenant(): Promise<{ tenantId: string; apiKey: string }>;
  restart(service: ServiceName, how: 'kill' | 'stop'): Promise<void>;
  stop(): Promise<void>;
}

/** JSON over HTTP with an API key: the status, and the body parsed (its text when not JSON). */
export async function callJson<T = Record<string, unknown>>(url: string, method: string, key: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed as T };
}

/** The five services as separate processes against a test stack; `extraEnv` per service. */
export async function startPipeline(stack: TestStack, extraEnv: Partial<Record<ServiceName | 'all', Record<string, string>>> = {}): Promise<Pipeline> {
  const services = {} as Record<ServiceName, ServiceProcess>;
  for (const name of SERVICES) {
    services[name] = new ServiceProcess(name, await freePort(), { ...stack.env(), ...stack.serviceEnv(name), ...extraEnv.all, ...extraEnv[name] });
  }
  for (const s of Object.values(services)) s.start();
  await Promise.all(Object.values(services).map((s) => s.waitReady(90_000)));

  const call: Pipeline['call'] = (service, method, path, key, body, headers = {}) => callJson(`${services[service].url}${path}`, method, key, body, headers);

  return {
    services,
    url: (s) => services[s].url,
    call,
    createTenant: async () => {
      const tenantId = `t_${randomBytes(5).toString('hex')}`;
      const created = await call('subscription-registry', 'POST', '/v1/tenants', stack.adminKey, { id: tenantId, name: tenantId });
      if (created.status !== 201) throw new Error(`tenant creation failed: ${created.status} ${JSON.stringify(created.body)}`);
      const key = await call<{ key: string }>('subscription-registry', 'POST', `/v1/tenants/${tenantId}/api-keys`, stack.adminKey, { name: 'e2e' });
      if (key.status !== 201) throw new Error(`key creation failed: ${key.status} ${JSON.stringify(key.body)}`);
      return { tenantId, apiKey: key.body.key };
    },
    restart: async (service, how) => {
      if (how === 'kill') await services[service].kill();
      else await services[service].stop();
      services[service].start();
      await services[service].waitReady(90_000);
    },
    stop: async () => {
      await Promise.all(Object.values(services).map((s) => s.stop()));
    },
  };
}
