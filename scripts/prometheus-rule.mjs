#!/usr/bin/env node
// Writes deploy/k8s/base/prometheus-rule.yaml: deploy/observability/alerts.yaml (the one source of
// the alerting rules) wrapped in a PrometheusRule for the Prometheus Operator.
//   node scripts/prometheus-rule.mjs          write it
//   node scripts/prometheus-rule.mjs --check  exit 1 if it is not current (the manifest test runs this)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ROOT, writeGenerated } from './lib.mjs';

const target = join(ROOT, 'deploy/k8s/base/prometheus-rule.yaml');
const rules = parse(readFileSync(join(ROOT, 'deploy/observability/alerts.yaml'), 'utf8'));
const rule = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PrometheusRule',
  metadata: { name: 'hookstream', labels: { 'app.kubernetes.io/name': 'hookstream', 'app.kubernetes.io/part-of': 'hookstream' } },
  spec: { groups: rules.groups },
};
const text = `# Generated from deploy/observability/alerts.yaml by scripts/prometheus-rule.mjs; edit that file
# and run the script. test/deploy/k8s-manifests.int-spec.ts fails when this one is not current.
${stringify(rule, { lineWidth: 0 })}`;
writeGenerated(target, text, 'node scripts/prometheus-rule.mjs');
