/**
 * Samples a few of the services' Prometheus series every few seconds while a fault runs, so a
 * latency regression in the report comes with what the dispatcher held, sent and lagged meanwhile.
 */
export interface MetricSample {
  at_s: number;
  values: Record<string, number>;
}

/** `name{labels}` sums over every series of `name` in a Prometheus text exposition. */
export function sumSeries(text: string, names: readonly string[]): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? ([0-9.eE+-]+|NaN)$/.exec(line);
    if (!m?.[1] || !(m[1] in out)) continue;
    const v = Number(m[3]);
    if (Number.isFinite(v)) out[m[1]] = (out[m[1]] ?? 0) + v;
  }
  return out;
}

export class MetricsSampler {
  readonly samples: MetricSample[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly started = Date.now();
  private readonly urls: readonly string[];
  private readonly names: readonly string[];
  private readonly everyMs: number;

  constructor(urls: readonly string[], names: readonly string[], everyMs = 5000) {
    this.urls = urls;
    this.names = names;
    this.everyMs = everyMs;
  }

  start(): void {
    const tick = async () => {
      const texts = await Promise.all(this.urls.map(async (u) => (await fetch(`${u}/metrics`).then((r) => r.text()).catch(() => ''))));
      const values: Record<string, number> = {};
      for (const text of texts) for (const [k, v] of Object.entries(sumSeries(text, this.names))) values[k] = (values[k] ?? 0) + v;
      this.samples.push({ at_s: Math.round((Date.now() - this.started) / 1000), values });
    };
    void tick();
    this.timer = setInterval(() => void tick(), this.everyMs);
  }

  stop(): MetricSample[] {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return this.samples;
  }
}
