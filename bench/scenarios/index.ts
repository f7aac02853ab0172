import type { Scenario } from '../harness/scenario.ts';
import { endpointHealth } from './endpoint-health.ts';
import { catchUpFeed } from './feed.ts';
import { fanout, fanoutFiltered } from './fanout.ts';
import { httpCeiling, httpCeilingHttps } from './http-ceiling.ts';
import { kafkaCeiling } from './kafka-ceiling.ts';
import { idle } from './idle.ts';
import { latencyAt50, latencyAt1000, latencyCurve, latencyNearSaturation } from './latency.ts';
import { pipeline, pipelineBatched, pipelineHttps, pipelineOrdered } from './pipeline.ts';
import { retryPath } from './retry-path.ts';
import { warmup } from './warmup.ts';

/**
 * In the order they run. The raw ceilings come first, while the services sit idle; the
 * near-saturation latency needs the pipeline's sustained rate. Endpoint health runs last, on a
 * database of its own. A new scenario is one module
 * exporting a Scenario, added here.
 */
export const SCENARIOS: readonly Scenario[] = [httpCeiling, httpCeilingHttps, kafkaCeiling, warmup, idle, latencyAt50, pipeline, pipelineHttps, pipelineOrdered, pipelineBatched, latencyAt1000, latencyNearSaturation, latencyCurve, fanout, fanoutFiltered, retryPath, endpointHealth, catchUpFeed];
