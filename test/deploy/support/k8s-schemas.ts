import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { ObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { parse } from 'yaml';
import { REPO_ROOT } from '@hookstream/testing';

/** What every rendered object has; the rest is checked by its schema. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
}

type Validator = (data: unknown) => void;

/** The model's own compiled validator, called on any object (the models copy their input). */
function modelValidator(model: { prototype: { validate(): void } }): Validator {
  return (data) => {
    model.prototype.validate.call(data);
  };
}

const validateObjectMeta = modelValidator(ObjectMeta);

/** Kubernetes, KEDA and Prometheus Operator schemas, from the kubernetes-models packages, by apiVersion and kind. */
const MODELS: Record<string, Validator> = {
  'v1/ConfigMap': modelValidator(ConfigMap),
  'v1/Namespace': modelValidator(Namespace),
  'v1/Service': modelValidator(Service),
  'apps/v1/Deployment': modelValidator(Deployment),
  'batch/v1/Job': modelValidator(Job),
  'policy/v1/PodDisruptionBudget': modelValidator(PodDisruptionBudget),
  'autoscaling/v2/HorizontalPodAutoscaler': modelValidator(HorizontalPodAutoscaler),
  'networking.k8s.io/v1/NetworkPolicy': modelValidator(NetworkPolicy),
  'keda.sh/v1alpha1/ScaledObject': modelValidator(ScaledObject),
  'keda.sh/v1alpha1/TriggerAuthentication': modelValidator(TriggerAuthentication),
  'monitoring.coreos.com/v1/ServiceMonitor': modelValidator(ServiceMonitor),
  'monitoring.coreos.com/v1/PrometheusRule': modelValidator(PrometheusRule),
};

interface CustomResourceDefinition {
  spec: { group: string; names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: object } }[] };
}

/**
 * Strimzi's KafkaTopic and KafkaUser schemas, from the CRDs that Strimzi's own generator produces
 * (deploy/k8s/schemas/strimzi-crd.sh); no npm package carries them. The CRDs leave `metadata` open,
 * so it is checked as ObjectMeta, as the API server does.
 */
function strimziValidators(): Record<string, Validator> {
  const paths = execFileSync('bash', [join(REPO_ROOT, 'deploy/k8s/schemas/strimzi-crd.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n');
  // strict: false lets ajv skip the x-kubernetes-* annotations of the OpenAPI schema.
  const ajv = new Ajv({ strict: false, allErrors: true });
  const out: Record<string, Validator> = {};
  for (const path of paths) {
    const crd = parse(readFileSync(path, 'utf8')) as CustomResourceDefinition;
    for (const version of crd.spec.versions) {
      const check = ajv.compile(version.schema.openAPIV3Schema);
      out[`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`] = (data) => {
        if (!check(data)) throw new Error((check.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? e.keyword}`).join(', '));
        validateObjectMeta((data as { metadata?: unknown }).metadata);
      };
    }
  }
  return out;
}

/**
 * Records which properties a validator reads. The compiled validators read every property
 * their schema defines (present or not) and enumerate maps (labels, ConfigMap data), so a key
 * of a typed object that was never read is a field the schema does not have: what the API
 * server's strict field validation (kubectl's default) refuses and what kubectl 1.20 silently
 * drops. Objects the validator read nothing of are free-form (KEDA trigger metadata, Kafka
 * topic config) and are skipped.
 */
class FieldTracker {
  private readonly objects: { value: object; path: string; read: Set<string>; enumerated: boolean }[] = [];

  wrap(value: unknown, path: string): unknown {
    if (value === null || typeof value !== 'object') return value;
    const entry = { value, path, read: new Set<string>(), enumerated: false };
    this.objects.push(entry);
    const children = new Map<string, unknown>();
    return new Proxy(value, {
      get: (target, key) => {
        const v: unknown = Reflect.get(target, key);
        if (typeof key !== 'string') return v;
        entry.read.add(key);
        if (!Object.hasOwn(target, key)) return v;
        if (!children.has(key)) children.set(key, this.wrap(v, `${path}/${key}`));
        return children.get(key);
      },
      has: (target, key) => {
        if (typeof key === 'string') entry.read.add(key);
        return Reflect.has(target, key);
      },
      ownKeys: (target) => {
        entry.enumerated = true;
        return Reflect.ownKeys(target);
      },
    });
  }

  unknownFields(): string[] {
    return this.objects
      .filter((o) => !Array.isArray(o.value) && !o.enumerated && o.read.size > 0)
      .flatMap((o) => Object.keys(o.value).filter((k) => !o.read.has(k)).map((k) => `${o.path}/${k}`));
  }
}

export class SchemaRegistry {
  private readonly validators: Record<string, Validator>;

  constructor() {
    this.validators = { ...MODELS, ...strimziValidators() };
  }

  /** Everything wrong with one object: schema violations, then fields its schema does not know. */
  problems(obj: Manifest): string[] {
    const validate = this.validators[`${obj.apiVersion}/${obj.kind}`];
    if (!validate) return [`no schema for ${obj.apiVersion} ${obj.kind}`];
    const tracker = new FieldTracker();
    try {
      validate(tracker.wrap(obj, ''));
    } catch (err) {
      return [(err as Error).message];
    }
    return tracker.unknownFields().map((f) => `unknown field ${f}`);
  }
}
