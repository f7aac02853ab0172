import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { SERVICE_DB_ROLES } from '@hookstream/db';
import { REPO_ROOT, SERVICES } from '@hookstream/testing';

/**
 * No Docker engine runs here, so the compose file is validated, not run: docker-compose
 * resolves it (anchors, interpolation, depends_on conditions) and we check what it produced.
 */
describe('docker-compose.yml', () => {
  const KEYRINGS = { SUBSCRIPTION_SECRETS_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`, CHANGELOG_SECRETS_KEYS: `k1:${Buffer.alloc(32, 2).toString('base64')}` };
  const compose = (env: Record<string, string>) => {
    try {
      return execFileSync('docker-compose', ['-f', join(REPO_ROOT, 'docker-compose.yml'), 'config'], {
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new Error("docker-compose is not installed: apt-get install -y docker-compose (npm test installs it when run as root)");
      }
      throw err;
    }
  };

  it('resolves, with all five services built from one Dockerfile and the infrastructure they wait for', () => {
    const out = compose({ ADMIN_API_KEY: 'a'.repeat(32), ...KEYRINGS });
    for (const name of SERVICES) {
      const block = out.split(/\n {2}(?=[a-z-]+:\n)/).find((b) => b.startsWith(`${name}:`)) ?? '';
      expect(block).toContain('dockerfile: deploy/docker/Dockerfile');
      expect(block).toContain(`APP: ${name}`);
      expect(block).toContain('condition: service_completed_successfully');
      expect(block).toContain('KAFKA_BROKERS: kafka:9092');
      // Each service as its own Postgres role; only setup (the migrations) runs as the owner.
      expect(block).toMatch(new RegExp(`DATABASE_URL: postgres://${SERVICE_DB_ROLES[name]}:[^@\\s]+@postgres:5432/hookstream`));
      expect(block).not.toContain('SERVICE_ROLES_PASSWORD');
    }
    expect(out).toContain('image: apache/kafka:4.4.0');
    expect(out).toContain('image: postgres:15');
    expect(out).toContain('image: redis:7');
    expect(out).toContain('KAFKA_PROCESS_ROLES: broker,controller');
  });

  it('runs the web console from the same image, forwarding to the three services of the public API', () => {
    const out = compose({ ADMIN_API_KEY: 'a'.repeat(32), ...KEYRINGS });
    const block = out.split(/\n {2}(?=[a-z-]+:\n)/).find((b) => b.startsWith('console:')) ?? '';
    expect(block).toContain('dockerfile: deploy/docker/Dockerfile');
    expect(block).toContain('APP: console');
    for (const url of ['INGRESS_GATEWAY_URL: http://ingress-gateway:3000', 'SUBSCRIPTION_REGISTRY_URL: http://subscription-registry:3001', 'DLQ_INSPECTOR_URL: http://dlq-inspector:3004']) expect(block).toContain(url);
    // It holds no credentials: no database, Kafka, admin key or keyrings.
    for (const secret of ['DATABASE_URL', 'KAFKA_BROKERS', 'ADMIN_API_KEY', 'SECRETS_KEYS']) expect(block).not.toContain(secret);
  });

  it('publishes Kafka to the host and runs a demo receiver the services may deliver to', () => {
    const out = compose({ ADMIN_API_KEY: 'a'.repeat(32), ...KEYRINGS });
    const block = (name: string) => out.split(/\n {2}(?=[a-z-]+:\n)/).find((b) => b.startsWith(`${name}:`)) ?? '';
    const kafka = block('kafka');
    expect(kafka).toContain('KAFKA_ADVERTISED_LISTENERS: PLAINTEXT://kafka:9092,HOST://localhost:19092');
    // Published on the host's loopback only: a laptop's broker is nobody else's.
    expect(kafka).toContain('- 127.0.0.1:19092:19092/tcp');
    const receiver = block('receiver');
    expect(receiver).toContain('scripts/receiver.mjs');
    expect(receiver).toContain('- 127.0.0.1:4000:4000/tcp');
    // Its name is allowlisted for the services that check delivery targets.
    for (const name of ['subscription-registry', 'dispatcher']) expect(block(name)).toContain('DELIVERY_ALLOWLIST_HOSTS: receiver');
  });

  it('refuses to start without an admin key or the signing-secret keyrings rather than inlining them', () => {
    expect(() => compose({ ...KEYRINGS })).toThrow(/ADMIN_API_KEY/);
    expect(() => compose({ ADMIN_API_KEY: 'a'.repeat(32), CHANGELOG_SECRETS_KEYS: KEYRINGS.CHANGELOG_SECRETS_KEYS })).toThrow(/SUBSCRIPTION_SECRETS_KEYS/);
    expect(() => compose({ ADMIN_API_KEY: 'a'.repeat(32), SUBSCRIPTION_SECRETS_KEYS: KEYRINGS.SUBSCRIPTION_SECRETS_KEYS })).toThrow(/CHANGELOG_SECRETS_KEYS/);
  });

  it('builds each app from a multi-stage Dockerfile that runs as a non-root user', () => {
    const dockerfile = readFileSync(join(REPO_ROOT, 'deploy/docker/Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM .* AS build$/m);
    expect(dockerfile).toMatch(/^FROM .* AS runtime$/m);
    expect(dockerfile).toMatch(/^ARG APP$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toContain('apps/$APP/dist/main.js');
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
  });
});
