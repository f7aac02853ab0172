import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import type { ITriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication';
import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import ipaddr from 'ipaddr.js';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IService } from 'kubernetes-models/v1/Service';
import { parse, parseAllDocuments } from 'yaml';
import { KAFKA_PRINCIPALS, kafkaAcls, physicalTopic, subscriptionSnapshotSchema, TOPIC_SPECS, TOPICS } from '@hookstream/contracts';
import { classifyAddress } from '@hookstream/domain';
import { databaseUrlSecretKey, type DbService, SERVICE_DB_ROLES } from '@hookstream/db';
import { createTestStack, REPO_ROOT, SERVICES, type ServiceName, type TestStack } from '@hookstream/testing';
import { consoleConfigSchema } from '../../apps/console/src/server/config.js';
import { type Manifest, SchemaRegistry } from './support/k8s-schemas.js';
import { serviceWiring, type ServiceWiring } from './support/service-wiring.js';

/**
 * deploy/k8s, rendered by `kubectl kustomize` for each overlay exactly as an operator would
 * deploy it, then every object validated against the Kubernetes, KEDA and Strimzi schemas, and
 * the properties the manifests promise checked against the code they deploy: each service's
 * own config schema and module wiring, TOPIC_SPECS, the SSRF rules of libs/domain, the schema
 * the migrations create. KUBECTL picks the binary (Debian's kubernetes-client ships kubectl
 * 1.20 with kustomize v2.0; the overlays render with it and with v5).
 */

const KUBECTL = process.env['KUBECTL'] ?? 'kubectl';
const OVERLAYS = ['dev', 'prod'] as const;
type Overlay = (typeof OVERLAYS)[number];

const SECRET_NAME = 'hookstream-secrets';
/** The headless Service the ServiceMonitor scrapes through (deploy/k8s/base/monitoring.yaml). */
const METRICS_SERVICE = 'hookstream-metrics';
/** Well-formed stand-ins for the Secret's values, so each service's config can be validated. */
const SECRET_SAMPLES: Record<string, string> = {
  DATABASE_URL_OWNER: 'postgres://hookstream_owner:sample-password@postgres.database.svc:5432/hookstream',
  ...Object.fromEntries(
    Object.entries(SERVICE_DB_ROLES).map(([s, role]) => [databaseUrlSecretKey(s as DbService), `postgres://${role}:sample-password@postgres.database.svc:5432/hookstream`]),
  ),
  REDIS_URL: 'redis://:sample-password@redis.database.svc:6379',
  ADMIN_API_KEY: randomBytes(24).toString('hex'),
  INTEGRATION_SECRETS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  SUBSCRIPTION_SECRETS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  CHANGELOG_SECRETS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
};
/** Strimzi's Secret with the cluster CA's certificate, mounted where KAFKA_SSL_CA_FILE points. */
const KAFKA_CA_SECRET = 'hookstream-cluster-ca-cert';
/** A file for the config schema to read where a pod would read the mounted CA. */
const SAMPLE_CA_FILE = join(mkdtempSync(join(tmpdir(), 'k8s-ca-')), 'ca.crt');
writeFileSync(SAMPLE_CA_FILE, '-----BEGIN CERTIFICATE-----\nMIIBsample\n-----END CERTIFICATE-----\n');

interface KafkaUser extends Manifest {
  spec: {
    authentication: { type: string };
    authorization: { type: string; acls: { resource: { type: string; name: string; patternType: string }; operations: string[]; host: string }[] };
  };
}

interface KafkaTopic extends Manifest {
  spec: { topicName?: string; partitions: number; replicas: number; config: Record<string, string | number> };
}

interface Rendered {
  objects: Manifest[];
  of<T>(kind: string): (Manifest & T)[];
  one<T>(kind: string, name: string): Manifest & T;
}

function render(overlay: Overlay): Rendered {
  let out: string;
  try {
    out = execFileSync(KUBECTL, ['kustomize', join(REPO_ROOT, 'deploy/k8s/overlays', overlay)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${KUBECTL} is not installed: apt-get install -y kubernetes-client (npm test installs it when run as root)`);
    }
    throw err;
  }
  const objects = parseAllDocuments(out)
    .map((d) => d.toJS() as Manifest | null)
    .filter((o): o is Manifest => o !== null);
  const of = <T>(kind: string) => objects.filter((o) => o.kind === kind) as (Manifest & T)[];
  return {
    objects,
    of,
    one: <T>(kind: string, name: string) => {
      const found = of<T>(kind).filter((o) => o.metadata.name === name);
      if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
      return found[0];
    },
  };
}

const labelsMatch = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean =>
  Boolean(selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v));

function podSpec(d: IDeployment | IJob): IPodSpec {
  const spec = d.spec?.template.spec;
  if (!spec) throw new Error('no pod spec');
  return spec;
}

function mainContainer(d: IDeployment): IContainer {
  const [c, ...more] = podSpec(d).containers;
  if (!c || more.length) throw new Error(`${d.metadata?.name}: expected one container`);
  return c;
}

/**
 * The environment a container starts with; secret references resolve to the samples. A secret is
 * `hookstream-secrets` (the key is kept), or a KafkaUser's own Secret (kept as `<user>/<key>`).
 */
function resolveEnv(c: IContainer, configMaps: Map<string, Record<string, string>>, kafkaUsers: ReadonlySet<string>): { env: Record<string, string>; secretKeys: Map<string, string> } {
  const env: Record<string, string> = {};
  const secretKeys = new Map<string, string>();
  for (const from of c.envFrom ?? []) {
    if (from.secretRef) throw new Error(`${c.name}: envFrom a Secret hands it every key; reference the keys it uses`);
    const data = configMaps.get(from.configMapRef?.name ?? '');
    if (!data) throw new Error(`${c.name}: envFrom names a ConfigMap that is not rendered`);
    Object.assign(env, data);
  }
  // `env` wins over `envFrom`, as in Kubernetes.
  for (const e of c.env ?? []) {
    const secretRef = e.valueFrom?.secretKeyRef;
    const cmRef = e.valueFrom?.configMapKeyRef;
    if (secretRef && kafkaUsers.has(secretRef.name ?? '')) {
      secretKeys.set(e.name, `${String(secretRef.name)}/${secretRef.key}`);
      env[e.name] = 'sample-kafka-password';
    } else if (secretRef) {
      if (secretRef.name !== SECRET_NAME) throw new Error(`${c.name}: ${e.name} comes from Secret ${secretRef.name}, not ${SECRET_NAME} or a KafkaUser's`);
      secretKeys.set(e.name, secretRef.key);
      env[e.name] = SECRET_SAMPLES[secretRef.key] ?? `unknown secret key ${secretRef.key}`;
    } else if (cmRef) {
      env[e.name] = configMaps.get(cmRef.name ?? '')?.[cmRef.key] ?? '';
    } else {
      env[e.name] = e.value ?? '';
    }
  }
  return { env, secretKeys };
}

/** The Secret and key a path in the pod's first container comes from, when a Secret volume mounts it. */
function mountedSecretFile(d: IDeployment, path: string): string | null {
  const spec = podSpec(d);
  for (const m of mainContainer(d).volumeMounts ?? []) {
    if (!path.startsWith(`${m.mountPath}/`)) continue;
    const secret = spec.volumes?.find((v) => v.name === m.name)?.secret;
    const file = path.slice(m.mountPath.length + 1);
    const item = secret?.items?.find((i) => i.path === file);
    return secret && item ? `${String(secret.secretName)}/${item.key}` : null;
  }
  return null;
}

function preStopSeconds(c: IContainer): number {
  const command = c.lifecycle?.preStop?.exec?.command;
  if (!command) return 0;
  const [bin, seconds, ...rest] = command;
  if (bin !== 'sleep' || rest.length || !/^\d+$/.test(seconds ?? '')) throw new Error(`${c.name}: preStop should be a plain sleep, is ${command.join(' ')}`);
  return Number(seconds);
}

function quantity(q: string | number | undefined): number {
  if (q === undefined) return NaN;
  const m = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi)?$/.exec(String(q));
  if (!m) return NaN;
  const scale = { m: 0.001, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 }[m[2] ?? ''] ?? 1;
  return Number(m[1]) * scale;
}

/** Secrets never appear in the manifests, only references to them: every way one could slip in. */
function literalSecrets(objects: Manifest[]): string[] {
  const secretName = /(KEY|SECRET|PASSWORD|TOKEN|CREDENTIAL)|^(DATABASE|REDIS)_URL$/i;
  const found: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (typeof v === 'string') {
      if (/:\/\/[^\s/@:]*:[^\s/@]+@/.test(v)) found.push(`${path}: a URL with a password`);
      if (/whsec_|-----BEGIN /.test(v)) found.push(`${path}: key material`);
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v && typeof v === 'object') Object.entries(v).forEach(([k, x]) => walk(x, `${path}.${k}`));
  };
  for (const o of objects) {
    const where = `${o.kind}/${o.metadata.name}`;
    if (o.kind === 'Secret') found.push(`${where}: a Secret in the manifests`);
    if (o.kind === 'ConfigMap') {
      for (const key of Object.keys((o as IConfigMap & Manifest).data ?? {})) if (secretName.test(key)) found.push(`${where}: ${key} in a ConfigMap`);
    }
    if (o.kind === 'Deployment' || o.kind === 'Job') {
      for (const c of podSpec(o as IDeployment)?.containers ?? []) {
        for (const e of c.env ?? []) if (secretName.test(e.name) && e.value !== undefined) found.push(`${where}: ${e.name} has a literal value`);
      }
    }
    walk(o, where);
  }
  return found;
}

/** Whether the policy's ipBlock rules let a pod reach ip:port (selector peers are pods, never these addresses). */
function egressAllows(policy: INetworkPolicy, ip: string, port: number): boolean {
  const addr = ipaddr.parse(ip);
  const inCidr = (cidr: string) => {
    const range = ipaddr.parseCIDR(cidr);
    return range[0].kind() === addr.kind() && addr.match(range);
  };
  return (policy.spec?.egress ?? []).some(
    (rule) =>
      (!rule.ports || rule.ports.some((p) => p.port === undefined || p.port === port)) &&
      (rule.to ?? []).some((peer) => peer.ipBlock && inCidr(peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some(inCidr)),
  );
}

describe('deploy/k8s', () => {
  let schemas: SchemaRegistry;
  const rendered = {} as Record<Overlay, Rendered>;

  beforeAll(() => {
    for (const overlay of OVERLAYS) rendered[overlay] = render(overlay);
    schemas = new SchemaRegistry();
  });

  describe.each(OVERLAYS)('overlay %s', (overlay) => {
    const r = () => rendered[overlay];
    const configMaps = () => new Map(r().of<IConfigMap>('ConfigMap').map((c) => [c.metadata.name, c.data ?? {}]));
    const deployment = (s: ServiceName) => r().one<IDeployment>('Deployment', s);
    const kafkaUsers = () => new Set(r().of<KafkaUser>('KafkaUser').map((u) => u.metadata.name));
    /** The pod's environment; the CA file, a mounted Secret in the pod, is a sample file here. */
    const envOf = (s: ServiceName) => {
      const resolved = resolveEnv(mainContainer(deployment(s)), configMaps(), kafkaUsers());
      const ca = resolved.env['KAFKA_SSL_CA_FILE'];
      if (ca) {
        if (mountedSecretFile(deployment(s), ca) !== `${KAFKA_CA_SECRET}/ca.crt`) throw new Error(`${s}: KAFKA_SSL_CA_FILE=${ca} is not the mounted ${KAFKA_CA_SECRET}/ca.crt`);
        resolved.env['KAFKA_SSL_CA_FILE'] = SAMPLE_CA_FILE;
      }
      return resolved;
    };
    const wiringOf = (s: ServiceName): ServiceWiring => serviceWiring(s, envOf(s).env);
    const prefix = () => wiringOf('dispatcher').config.KAFKA_TOPIC_PREFIX;
    const topics = () => new Map(r().of<KafkaTopic>('KafkaTopic').map((t) => [t.spec.topicName ?? t.metadata.name, t]));
    const autoscalerMin = (s: ServiceName): number => {
      const hpa = r().of<IHorizontalPodAutoscaler>('HorizontalPodAutoscaler').find((h) => h.spec?.scaleTargetRef.name === s);
      const so = r().of<IScaledObject>('ScaledObject').find((o) => o.spec.scaleTargetRef.name === s);
      return hpa?.spec?.minReplicas ?? so?.spec.minReplicaCount ?? NaN;
    };

    it('renders objects that all pass the Kubernetes, KEDA and Strimzi schemas, unknown fields included', () => {
      const problems = r().objects.flatMap((o) => schemas.problems(o).map((p) => `${o.kind}/${o.metadata.name}: ${p}`));
      expect(problems).toEqual([]);
      const kinds = new Set(r().objects.map((o) => o.kind));
      for (const kind of ['Namespace', 'ConfigMap', 'Deployment', 'Service', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'ScaledObject', 'TriggerAuthentication', 'KafkaTopic', 'KafkaUser', 'Job', 'NetworkPolicy', 'ServiceMonitor', 'PrometheusRule']) {
        expect(kinds).toContain(kind);
      }
      const namespace = r().one<Manifest>('Namespace', overlay === 'prod' ? 'hookstream' : 'hookstream-dev');
      for (const o of r().objects.filter((x) => x.kind !== 'Namespace')) expect(`${o.kind}/${o.metadata.name} in ${o.metadata.namespace}`).toBe(`${o.kind}/${o.metadata.name} in ${namespace.metadata.name}`);
      expect(namespace.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    });

    it('deploys each of the five services once, from a pinned image, with the environment its own config schema accepts', () => {
      expect(r().of<IDeployment>('Deployment').map((d) => d.metadata.name).sort()).toEqual([...SERVICES, 'console'].sort());
      for (const s of SERVICES) {
        const c = mainContainer(deployment(s));
        expect(c.image).toMatch(new RegExp(`(^|/)hookstream/${s}:[\\w.-]+$`));
        expect(c.image).not.toMatch(/:latest$/);
        const { env, secretKeys } = envOf(s);
        // loadConfig throws naming any variable that is missing or malformed.
        const w = serviceWiring(s, env);
        const unknown = Object.keys(env).filter((k) => !w.knownVariables.has(k));
        expect(`${s}: ${unknown.join(', ')}`).toBe(`${s}: `);
        expect(w.config.NODE_ENV).toBe('production');
        expect(w.config.HOST).toBe('0.0.0.0');
        expect(c.ports?.find((p) => p.name === 'http')?.containerPort).toBe(w.config.PORT);
        // The defaults point at 127.0.0.1: in a pod, every dependency must be named.
        expect(w.config.KAFKA_BROKERS.filter((b) => /^(127\.|localhost)/.test(b))).toEqual([]);
        expect(env['KAFKA_BROKERS']).toBeDefined();
        expect(env['DELIVERY_ALLOWLIST_HOSTS'] ?? '').toBe('');
        // Each secret the service uses comes from the Secret, and only those: least privilege.
        const expected = [
          'KAFKA_SASL_PASSWORD',
          ...(w.usesPostgres ? ['DATABASE_URL'] : []),
          ...(w.usesRedis ? ['REDIS_URL'] : []),
          ...(w.servesApi ? ['ADMIN_API_KEY'] : []),
          ...['INTEGRATION_SECRETS_KEYS', 'SUBSCRIPTION_SECRETS_KEYS', 'CHANGELOG_SECRETS_KEYS'].filter((k) => w.knownVariables.has(k)),
        ];
        expect([...secretKeys.keys()].sort()).toEqual(expected.sort());
        // Each service logs in to Postgres as its own role (migration 0023), never as the owner.
        for (const [name, key] of secretKeys) expect(key).toBe(name === 'DATABASE_URL' ? databaseUrlSecretKey(s) : name === 'KAFKA_SASL_PASSWORD' ? `${s}/password` : name);
        // Kafka as its own principal, over TLS, trusting the cluster's CA only.
        expect(w.config.KAFKA_SECURITY_PROTOCOL).toBe('SASL_SSL');
        expect(w.config.KAFKA_SASL_USERNAME).toBe(s);
      }
    });

    it('serves the web console from the same image, with no secret, forwarding to the three API Services', () => {
      const d = r().one<IDeployment>('Deployment', 'console');
      const c = mainContainer(d);
      expect(c.image).toMatch(/(^|\/)hookstream\/console:[\w.-]+$/);
      // Its whole environment is literal values its own schema accepts: no Secret, no ConfigMap.
      expect([c.envFrom ?? [], (c.env ?? []).filter((e) => e.valueFrom)]).toEqual([[], []]);
      const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value ?? '']));
      const config = consoleConfigSchema.strict().parse(env);
      expect(c.ports?.find((p) => p.name === 'http')?.containerPort).toBe(config.PORT);
      expect(config.HOST).toBe('0.0.0.0');
      // Each URL is a Service of this overlay, on the port its Service exposes.
      for (const url of [config.INGRESS_GATEWAY_URL, config.SUBSCRIPTION_REGISTRY_URL, config.DLQ_INSPECTOR_URL]) {
        const { hostname, port } = new URL(url);
        const svc = r().one<IService>('Service', hostname);
        expect(svc.spec?.ports?.map((p) => String(p.port))).toContain(port || '80');
      }
      for (const [probe, path] of [[c.startupProbe, '/health/live'], [c.livenessProbe, '/health/live'], [c.readinessProbe, '/health/ready']] as const) expect(probe?.httpGet?.path).toBe(path);
      expect(podSpec(d).terminationGracePeriodSeconds ?? 30).toBeGreaterThan(preStopSeconds(c));
      const routed = r().of<IService>('Service').filter((svc) => labelsMatch(svc.spec?.selector, d.spec?.template.metadata?.labels));
      expect(routed.map((svc) => svc.metadata?.name)).toEqual(['console']);
      expect(r().of<IHorizontalPodAutoscaler>('HorizontalPodAutoscaler').filter((h) => h.spec?.scaleTargetRef.name === 'console')).toHaveLength(1);
      expect(r().of<IPodDisruptionBudget>('PodDisruptionBudget').filter((p) => labelsMatch(p.spec?.selector?.matchLabels, d.spec?.template.metadata?.labels))).toHaveLength(1);
    });

    it('probes liveness and readiness on every service and drains before the grace period ends', () => {
      const services = r().of<IService>('Service');
      for (const s of SERVICES) {
        const d = deployment(s);
        const c = mainContainer(d);
        const w = wiringOf(s);
        for (const [probe, path] of [
          [c.startupProbe, '/health/live'],
          [c.livenessProbe, '/health/live'],
          [c.readinessProbe, '/health/ready'],
        ] as const) {
          expect(probe?.httpGet?.path).toBe(path);
          expect(probe?.httpGet?.port).toBe('http');
        }
        // The service gives each dependency check 2 s before it answers.
        expect(c.readinessProbe?.timeoutSeconds ?? 1).toBeGreaterThan(2);
        // The headless metrics Service carries scrapes, not traffic.
        const routed = services.some((svc) => svc.metadata?.name !== METRICS_SERVICE && labelsMatch(svc.spec?.selector, d.spec?.template.metadata?.labels));
        const pause = preStopSeconds(c);
        // A routed pod keeps serving while the endpoints forget it; a worker has nothing to wait for.
        if (routed) expect(pause).toBeGreaterThanOrEqual(5);
        else expect(pause).toBe(0);
        const grace = podSpec(d).terminationGracePeriodSeconds ?? 30;
        expect(grace).toBeGreaterThanOrEqual(pause + w.config.SHUTDOWN_TIMEOUT_MS / 1000 + 1);
        // The drain outlasts the longest webhook attempt a subscription may ask for.
        expect(w.config.SHUTDOWN_TIMEOUT_MS).toBeGreaterThan(subscriptionSnapshotSchema.shape.timeout_ms.maxValue ?? Infinity);
      }
    });

    it('runs every pod non-root, read-only, without privileges, with requests and a memory limit', () => {
      const pods = [...r().of<IDeployment>('Deployment'), ...r().of<IJob>('Job')];
      for (const d of pods) {
        const spec = podSpec(d);
        const where = `${d.kind}/${d.metadata.name}`;
        expect({ where, automount: spec.automountServiceAccountToken }).toEqual({ where, automount: false });
        expect(spec.securityContext?.runAsNonRoot).toBe(true);
        expect(spec.securityContext?.runAsUser).toBeGreaterThan(0);
        expect(spec.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
        for (const c of spec.containers) {
          expect(c.securityContext?.allowPrivilegeEscalation).toBe(false);
          expect(c.securityContext?.readOnlyRootFilesystem).toBe(true);
          expect(c.securityContext?.capabilities?.drop).toContain('ALL');
          const { requests, limits } = c.resources ?? {};
          expect(quantity(requests?.['cpu'])).toBeGreaterThan(0);
          expect(quantity(requests?.['memory'])).toBeGreaterThan(0);
          expect(quantity(limits?.['memory'])).toBeGreaterThanOrEqual(quantity(requests?.['memory']));
          expect(quantity(limits?.['cpu'])).toBeGreaterThanOrEqual(quantity(requests?.['cpu']));
        }
      }
    });

    it('gives the HTTP APIs a Service and a CPU autoscaler, and every service one PodDisruptionBudget that lets a drain proceed', () => {
      const hpas = r().of<IHorizontalPodAutoscaler>('HorizontalPodAutoscaler');
      const scaled = r().of<IScaledObject>('ScaledObject');
      const pdbs = r().of<IPodDisruptionBudget>('PodDisruptionBudget');
      for (const s of SERVICES) {
        const d = deployment(s);
        const labels = d.spec?.template.metadata?.labels;
        const w = wiringOf(s);
        const service = r().of<IService>('Service').filter((svc) => svc.metadata?.name !== METRICS_SERVICE && labelsMatch(svc.spec?.selector, labels));
        const hpa = hpas.filter((h) => h.spec?.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === s);
        const keda = scaled.filter((o) => o.spec.scaleTargetRef.name === s);
        expect({ s, services: service.length, hpas: hpa.length, scaledObjects: keda.length }).toEqual({
          s,
          services: w.servesApi ? 1 : 0,
          hpas: w.servesApi ? 1 : 0,
          scaledObjects: w.servesApi ? 0 : 1,
        });
        // An autoscaler owns the count; an applied `replicas` would reset it on every deploy.
        expect(d.spec?.replicas).toBeUndefined();
        for (const svc of service) {
          for (const p of svc.spec?.ports ?? []) expect(mainContainer(d).ports?.map((cp) => cp.name)).toContain(p.targetPort);
        }
        for (const h of hpa) {
          const cpu = h.spec?.metrics?.find((m) => m.resource?.name === 'cpu');
          expect(cpu?.resource?.target.averageUtilization).toBeGreaterThan(0);
          expect(h.spec?.minReplicas ?? 1).toBeLessThanOrEqual(h.spec?.maxReplicas ?? 0);
        }
        const budget = pdbs.filter((p) => labelsMatch(p.spec?.selector?.matchLabels, labels));
        expect(`${s}: ${budget.length}`).toBe(`${s}: 1`);
        const pdb = budget[0]?.spec;
        const min = autoscalerMin(s);
        if (overlay === 'prod') {
          expect(pdb?.minAvailable).toBeGreaterThanOrEqual(1);
          expect(pdb?.maxUnavailable).toBeUndefined();
        }
        // At the autoscaler's minimum, one pod can still be evicted.
        const evictable = pdb?.minAvailable !== undefined ? min - Number(pdb.minAvailable) : Number(pdb?.maxUnavailable);
        expect(`${s}: ${evictable >= 1}`).toBe(`${s}: true`);
      }
    });

    it('declares every topic of TOPIC_SPECS as a KafkaTopic, compacted where the spec says, with retention', () => {
      const byName = topics();
      const brokers = wiringOf('dispatcher').config.KAFKA_BROKERS;
      expect([...byName.keys()].sort()).toEqual(TOPIC_SPECS.map((t) => physicalTopic(prefix(), t.name)).sort());
      for (const spec of TOPIC_SPECS) {
        const t = byName.get(physicalTopic(prefix(), spec.name));
        if (!t) throw new Error(`no KafkaTopic for ${spec.name}`);
        // The brokers the services use are the bootstrap Service of the cluster the topic belongs to.
        const cluster = t.metadata.labels?.['strimzi.io/cluster'];
        expect(brokers.every((b) => b.startsWith(`${cluster}-kafka-bootstrap`))).toBe(true);
        // dev keeps the base's partitions, which are TOPIC_SPECS'; prod may only add.
        if (overlay === 'dev') expect(`${spec.name}: ${t.spec.partitions}`).toBe(`${spec.name}: ${spec.defaultPartitions}`);
        else expect(t.spec.partitions).toBeGreaterThanOrEqual(spec.defaultPartitions);
        const minIsr = Number(t.spec.config['min.insync.replicas']);
        expect(t.spec.replicas).toBeGreaterThanOrEqual(minIsr);
        if (overlay === 'prod') expect(t.spec.replicas).toBeGreaterThan(minIsr);
        expect(t.spec.config['cleanup.policy']).toBe(spec.compacted ? 'compact' : 'delete');
        // A topic that carries event data takes the largest message the code may produce to it.
        expect(`${spec.name}: ${t.spec.config['max.message.bytes'] ?? 'default'}`).toBe(`${spec.name}: ${spec.maxMessageBytes ?? 'default'}`);
        // A topic that deletes keeps at least a long weekend, so a stopped consumer loses nothing.
        if (!spec.compacted) expect(Number(t.spec.config['retention.ms'])).toBeGreaterThanOrEqual(3 * 24 * 3600 * 1000);
      }
    });

    it('declares one KafkaUser per principal with the ACLs of KAFKA_ACCESS, generated and current', () => {
      const users = r().of<KafkaUser>('KafkaUser');
      expect(users.map((u) => u.metadata.name).sort()).toEqual([...KAFKA_PRINCIPALS].sort());
      for (const u of users) {
        expect(u.metadata.labels?.['strimzi.io/cluster']).toBe(topics().get(TOPICS.ingest)?.metadata.labels?.['strimzi.io/cluster']);
        expect(u.spec.authentication.type).toBe('scram-sha-512');
        expect(u.spec.authorization.type).toBe('simple');
        const acls = u.spec.authorization.acls.map((a) => ({ resourceType: a.resource.type, name: a.resource.name, patternType: a.resource.patternType === 'prefix' ? 'prefixed' : a.resource.patternType, operation: a.operations.join(',') }));
        expect(acls).toEqual(kafkaAcls(u.metadata.name as (typeof KAFKA_PRINCIPALS)[number], prefix()));
        expect(u.spec.authorization.acls.every((a) => a.host === '*')).toBe(true);
      }
      expect(() => execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/kafka-users.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
    });

    it("scales dispatcher and retry-scheduler with KEDA on their consumer groups' lag, never past the partitions", () => {
      const byName = topics();
      for (const so of r().of<IScaledObject>('ScaledObject')) {
        const s = so.spec.scaleTargetRef.name as ServiceName;
        const w = wiringOf(s);
        const kafkaTriggers = so.spec.triggers.filter((t) => t.type === 'kafka');
        // One trigger per shared group the service consumes; a group per instance has no lag to share.
        const groups = w.consumers.filter((c) => !c.groupPerInstance);
        expect(kafkaTriggers.map((t) => t.metadata['consumerGroup']).sort()).toEqual(groups.map((g) => `${prefix()}${g.groupId}`).sort());
        for (const g of groups) {
          const t = kafkaTriggers.find((x) => x.metadata['consumerGroup'] === `${prefix()}${g.groupId}`);
          expect(t?.metadata['topic']).toBe(physicalTopic(prefix(), TOPICS[g.topic]));
          expect(t?.metadata['offsetResetPolicy']).toBe((g.fromBeginning ?? true) ? 'earliest' : 'latest');
          expect(Number(t?.metadata['lagThreshold'])).toBeGreaterThan(0);
          // KEDA connects as the service's own principal, as its pods do.
          expect([t?.metadata['sasl'], t?.metadata['tls']]).toEqual(['scram_sha512', 'enable']);
          const auth = r().one<ITriggerAuthentication>('TriggerAuthentication', t?.authenticationRef?.name ?? '');
          expect(auth.spec?.secretTargetRef?.map((ref) => `${ref.parameter}<-${ref.name}/${ref.key}`)).toEqual([`password<-${s}/password`, `ca<-${KAFKA_CA_SECRET}/ca.crt`]);
          expect(auth.spec?.env?.map((e) => `${e.parameter}<-${e.name}`)).toEqual(['username<-KAFKA_SASL_USERNAME']);
          const fromEnv = t?.metadata['bootstrapServersFromEnv'];
          expect(fromEnv ? envOf(s).env[fromEnv] : t?.metadata['bootstrapServers']).toBe(w.config.KAFKA_BROKERS.join(','));
          const partitions = byName.get(t?.metadata['topic'] ?? '')?.spec.partitions ?? 0;
          expect(`${s} max ${so.spec.maxReplicaCount} <= ${t?.metadata['topic']} partitions ${partitions}`).toBe(
            `${s} max ${Math.min(so.spec.maxReplicaCount ?? Infinity, partitions)} <= ${t?.metadata['topic']} partitions ${partitions}`,
          );
        }
        expect(so.spec.minReplicaCount ?? 0).toBeGreaterThanOrEqual(1);
        for (const t of so.spec.triggers.filter((x) => x.type !== 'kafka')) {
          const auth = r().one<ITriggerAuthentication>('TriggerAuthentication', t.authenticationRef?.name ?? '');
          expect(auth.spec?.secretTargetRef?.map((ref) => `${ref.name}/${ref.key}`)).toEqual([`${SECRET_NAME}/${databaseUrlSecretKey(s)}`]);
        }
      }
      expect(r().of<IScaledObject>('ScaledObject').map((o) => o.spec.scaleTargetRef.name).sort()).toEqual(['dispatcher', 'retry-scheduler']);
    });

    it('migrates with the script the image ships, before the services, with the database secret only', () => {
      const job = r().one<IJob>('Job', 'hookstream-migrate');
      const [c] = podSpec(job).containers;
      expect(c?.command).toEqual(['node', 'scripts/stack.mjs', '--migrate-only', '--no-build']);
      expect(readFileSync(join(REPO_ROOT, 'deploy/docker/Dockerfile'), 'utf8')).toMatch(/^COPY .*scripts\/stack\.mjs.* scripts\/$/m);
      expect(r().of<IDeployment>('Deployment').map((d) => mainContainer(d).image)).toContain(c?.image);
      expect(podSpec(job).restartPolicy).toBe('Never');
      expect(c?.env?.map((e) => `${e.name}<-${e.valueFrom?.secretKeyRef?.name}/${e.valueFrom?.secretKeyRef?.key}`)).toEqual([`DATABASE_URL<-${SECRET_NAME}/DATABASE_URL_OWNER`]);
    });

    it('has Prometheus scrape every service through one ServiceMonitor, and alert with alerts.yaml as a PrometheusRule', () => {
      const metrics = r().one<IService>('Service', METRICS_SERVICE);
      expect(metrics.spec?.clusterIP).toBe('None');
      const scraped = [...r().of<IDeployment>('Deployment'), ...r().of<IJob>('Job')]
        .filter((w) => labelsMatch(metrics.spec?.selector, w.spec?.template.metadata?.labels))
        .map((w) => w.metadata?.name)
        .sort();
      expect(scraped).toEqual([...SERVICES].sort());
      for (const s of SERVICES) expect(mainContainer(deployment(s)).ports?.map((p) => p.name)).toContain(metrics.spec?.ports?.[0]?.targetPort);
      const monitor = r().one<IServiceMonitor>('ServiceMonitor', 'hookstream');
      expect(labelsMatch(monitor.spec.selector.matchLabels, metrics.metadata?.labels)).toBe(true);
      expect(monitor.spec.endpoints.map((e) => `${e.port}${e.path}`)).toEqual([`${metrics.spec?.ports?.[0]?.name}/metrics`]);
      const rule = r().one<IPrometheusRule>('PrometheusRule', 'hookstream');
      const alerts = parse(readFileSync(join(REPO_ROOT, 'deploy/observability/alerts.yaml'), 'utf8')) as { groups: unknown };
      expect(rule.spec.groups).toEqual(alerts.groups);
      // The file is generated from alerts.yaml, and current.
      expect(() => execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/prometheus-rule.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
    });

    it('carries no secret value anywhere, only references to the Secret', () => {
      expect(literalSecrets(r().objects)).toEqual([]);
    });

    it("lets the dispatcher reach the internet, DNS and the cluster's services, but no private or metadata address", () => {
      const labels = deployment('dispatcher').spec?.template.metadata?.labels;
      const [policy, ...more] = r().of<INetworkPolicy>('NetworkPolicy').filter((p) => labelsMatch(p.spec?.podSelector?.matchLabels, labels));
      if (!policy || more.length) throw new Error('expected one NetworkPolicy for the dispatcher');
      expect(policy.spec?.policyTypes).toEqual(['Egress']);
      const forbidden = [
        '169.254.169.254', '169.254.170.2', '100.100.100.200', '10.0.0.1', '172.16.0.1', '172.31.255.254', '192.168.1.1',
        '127.0.0.1', '0.0.0.0', '100.64.0.1', '198.18.0.1', '224.0.0.1', '255.255.255.255',
        'fd00:ec2::254', 'fe80::1', '::1', '::', '::ffff:169.254.169.254', '::ffff:10.0.0.1', '::127.0.0.1',
        '64:ff9b::a9fe:a9fe', '2002:a9fe:a9fe::1', '2001:0:a9fe:a9fe::1', 'fc00::1', 'ff02::1',
      ];
      const open = ['1.1.1.1', '8.8.8.8', '93.184.216.34', '2606:4700:4700::1111', '2a00:1450:4001:82a::200e'];
      for (const ip of forbidden) {
        // Both layers agree: the code refuses it and so does the network.
        expect(`${ip} ${classifyAddress(ip).allowed}`).toBe(`${ip} false`);
        for (const port of [80, 443, 53, 5432, 8080, 9092]) expect(`${ip}:${port} ${egressAllows(policy, ip, port)}`).toBe(`${ip}:${port} false`);
      }
      for (const ip of open) {
        expect(classifyAddress(ip).allowed).toBe(true);
        for (const port of [443, 8443]) expect(`${ip}:${port} ${egressAllows(policy, ip, port)}`).toBe(`${ip}:${port} true`);
      }
      // Nothing public is excepted: each excepted range starts and ends outside public unicast.
      for (const rule of policy.spec?.egress ?? []) {
        for (const except of (rule.to ?? []).flatMap((p) => p.ipBlock?.except ?? [])) {
          const [first] = ipaddr.parseCIDR(except);
          const last = first.kind() === 'ipv4' ? ipaddr.IPv4.broadcastAddressFromCIDR(except) : ipaddr.IPv6.broadcastAddressFromCIDR(except);
          for (const edge of [first.toString(), last.toString()]) expect(`${except} ${edge} ${classifyAddress(edge).allowed}`).toBe(`${except} ${edge} false`);
        }
      }
      const peersOnPort = (port: number) =>
        (policy.spec?.egress ?? []).filter((rule) => rule.ports?.some((p) => p.port === port)).flatMap((rule) => rule.to ?? []);
      expect(peersOnPort(53).some((p) => p.podSelector?.matchLabels?.['k8s-app'] === 'kube-dns')).toBe(true);
      for (const port of [9093, 5432]) expect(peersOnPort(port).some((p) => p.namespaceSelector !== undefined)).toBe(true);
    });
  });

  it('renders the same objects from both overlays, with prod at least as large as dev', () => {
    // The generated ConfigMap's name ends in a hash of its content, and each overlay names its namespace.
    const names = (o: Overlay) =>
      rendered[o].objects
        .filter((x) => x.kind !== 'Namespace')
        .map((x) => `${x.kind}/${x.kind === 'ConfigMap' ? x.metadata.name.replace(/-[a-z0-9]{10}$/, '') : x.metadata.name}`)
        .sort();
    expect(names('prod')).toEqual(names('dev'));
    for (const so of rendered.prod.of<IScaledObject>('ScaledObject')) {
      const dev = rendered.dev.one<IScaledObject>('ScaledObject', so.metadata.name);
      expect(so.spec.minReplicaCount ?? 0).toBeGreaterThan(dev.spec.minReplicaCount ?? 0);
    }
    for (const h of rendered.prod.of<IHorizontalPodAutoscaler>('HorizontalPodAutoscaler')) {
      const dev = rendered.dev.one<IHorizontalPodAutoscaler>('HorizontalPodAutoscaler', h.metadata.name);
      expect(h.spec?.minReplicas ?? 0).toBeGreaterThan(dev.spec?.minReplicas ?? 0);
    }
  });

  describe("retry-scheduler's due-retries trigger", () => {
    let stack: TestStack;
    beforeAll(async () => {
      stack = await createTestStack('k8s');
    });
    afterAll(async () => {
      await stack.close();
    });

    it('counts the retries already due, and only those, on the migrated schema', async () => {
      const trigger = rendered.prod.one<IScaledObject>('ScaledObject', 'retry-scheduler').spec.triggers.find((t) => t.type === 'postgresql');
      const query = trigger?.metadata['query'] ?? '';
      const count = async () => {
        const rows = await stack.query<Record<string, string>>(query);
        expect(rows).toHaveLength(1);
        return Number(Object.values(rows[0] ?? {})[0]);
      };
      expect(await count()).toBe(0);
      const insert = (dueIn: string) =>
        stack.query(
          `INSERT INTO scheduled_retries (delivery_id, tenant_id, subscription_id, attempt, due_at, message)
           VALUES ($1, 'acme', $2, 2, now() + $3::interval, '{}')`,
          [randomUUID(), randomUUID(), dueIn],
        );
      await insert('-1 minute');
      await insert('-1 second');
      await insert('1 hour');
      expect(await count()).toBe(2);
      expect(Number(trigger?.metadata['targetQueryValue'])).toBeGreaterThan(0);
    });
  });

  describe('the checks themselves', () => {
    it('catch an unknown field, a literal secret and a policy that lets metadata through', () => {
      const d = structuredClone(rendered.dev.one<IDeployment>('Deployment', 'dispatcher'));
      const probe = mainContainer(d).livenessProbe as Record<string, unknown>;
      probe['periodSecond'] = 10;
      expect(schemas.problems(d)).toEqual(['unknown field /spec/template/spec/containers/0/livenessProbe/periodSecond']);

      const cm = structuredClone(rendered.dev.of<IConfigMap>('ConfigMap')[0]);
      if (!cm?.data) throw new Error('no ConfigMap');
      cm.data['ADMIN_API_KEY'] = 'a'.repeat(32);
      cm.data['EXTRA'] = 'postgres://app:hunter2@db:5432/app';
      expect(literalSecrets([cm])).toHaveLength(2);

      const policy = structuredClone(rendered.dev.of<INetworkPolicy>('NetworkPolicy')[0]);
      const open = policy?.spec?.egress?.at(-1)?.to?.[0]?.ipBlock;
      if (!policy || !open) throw new Error('no internet rule');
      open.except = open.except?.filter((c) => c !== '169.254.0.0/16');
      expect(egressAllows(policy, '169.254.169.254', 80)).toBe(true);
    });
  });
});
