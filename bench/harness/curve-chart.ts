/**
 * The latency curve drawn: p50, p95 and p99 publish → receipt against the open-loop rate, both
 * axes logarithmic. Vega-Lite describes the chart, Vega renders it to SVG without a browser or
 * a canvas, and resvg turns the SVG into a PNG (prebuilt per platform from the npm registry).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export interface CurvePoint {
  rate_per_s: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
}

/** The Vega-Lite spec of the chart (kept apart, so a test can read it without rendering). */
export function curveSpec(points: readonly CurvePoint[], title: string): TopLevelSpec {
  const values = points.flatMap((p) => (['p50', 'p95', 'p99'] as const).map((q) => ({ rate: p.rate_per_s, quantile: q, ms: Math.max(0.1, p[`${q}_ms`]) })));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 640,
    height: 360,
    background: 'white',
    config: { font: 'DejaVu Sans' },
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'rate', type: 'quantitative', scale: { type: 'log' }, title: 'events/s published (open loop)' },
      y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'publish → receipt (ms)' },
      color: { field: 'quantile', type: 'nominal', title: null },
    },
  };
}

/** Renders the chart to PNG bytes. */
export async function curvePng(points: readonly CurvePoint[], title: string): Promise<Buffer> {
  const view = new View(parse(compile(curveSpec(points, title)).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
}

/** Writes `<stamp>-latency-curve.png` into the results folder; returns its file name (null with no points). */
export async function writeCurveChart(dir: string, stamp: string, points: readonly CurvePoint[], mode: string): Promise<string | null> {
  if (points.length === 0) return null;
  const name = `${stamp}-latency-curve.png`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), await curvePng(points, `Hookstream publish → receipt across load (${mode} bench, ${stamp})`));
  return name;
}
