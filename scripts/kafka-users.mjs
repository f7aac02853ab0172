#!/usr/bin/env node
// Writes deploy/k8s/base/kafka-users.yaml: one Strimzi KafkaUser per Kafka principal, with SCRAM
// credentials and the ACLs of libs/contracts kafka-access.ts (KAFKA_ACCESS, the one source of what
// each service may read and write). Strimzi's User Operator creates each user's password in a
// Secret named after the user, which the service's Deployment reads.
//   node scripts/kafka-users.mjs          write it (after a build: it reads libs/contracts/dist)
//   node scripts/kafka-users.mjs --check  exit 1 if it is not current (the manifest test runs this)
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ROOT, writeGenerated } from './lib.mjs';

const { KAFKA_PRINCIPALS, kafkaAcls } = await import('@hookstream/contracts');
const target = join(ROOT, 'deploy/k8s/base/kafka-users.yaml');
// The topic prefix of the base's ConfigMap (empty); the manifest test checks they agree.
const PREFIX = '';

const users = KAFKA_PRINCIPALS.map((principal) => ({
  apiVersion: 'kafka.strimzi.io/v1beta2',
  kind: 'KafkaUser',
  metadata: {
    name: principal,
    labels: { 'strimzi.io/cluster': 'hookstream', 'app.kubernetes.io/name': principal, 'app.kubernetes.io/part-of': 'hookstream' },
  },
  spec: {
    authentication: { type: 'scram-sha-512' },
    authorization: {
      type: 'simple',
      acls: kafkaAcls(principal, PREFIX).map((a) => ({
        // Strimzi spells Kafka's PREFIXED pattern `prefix`.
        resource: { type: a.resourceType, name: a.name, patternType: a.patternType === 'prefixed' ? 'prefix' : 'literal' },
        operations: [a.operation],
        host: '*',
      })),
    },
  },
}));
const text = `# Generated from libs/contracts/src/kafka-access.ts by scripts/kafka-users.mjs; edit that file,
# build, and run the script. test/deploy/k8s-manifests.int-spec.ts fails when this one is not current.
#
# One principal per service, and \`publisher\` for the internal services that produce events (it
# may write hookstream.ingest and nothing else: give its Secret to them, not the services' ones).
# Strimzi's User Operator keeps each password in a Secret named after the user (key \`password\`).
${users.map((u) => stringify(u, { lineWidth: 0 })).join('---\n')}`;
writeGenerated(target, text, 'node scripts/kafka-users.mjs');
