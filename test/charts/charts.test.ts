// Behaviour of the individual charts: scale choices, CI clipping, window averaging, pod layout
// for 1–5 variants and 1–50 pods, hot-pod labels and fair-share lines.
import { describe, expect, it } from 'vitest';
import { latencyPercentiles, podShare, podUtilization, timeseries } from '../../src/charts/index.ts';
import { sig, wantsLogScale } from '../../src/charts/numbers.ts';
import { podOrder } from '../../src/charts/pod-bars.ts';
import { MAX_POINTS, meanWindows } from '../../src/charts/timeseries.ts';
import type { TimeSeriesRow } from '../../src/observe/types.ts';
import { renderSvgChecked } from '../../src/report/render.ts';
import { makeRunOutput, syntheticRunOutput } from '../fixtures/run-output.ts';

// biome-ignore lint/suspicious/noExplicitAny: specs are walked as plain JSON here
type Json = any;
const values = (spec: unknown): Json[] => (spec as Json).data.values;

describe('numbers', () => {
  it('rounds to significant digits and keeps zero', () => {
    expect(sig(1234.5678)).toBe(1235);
    expect(sig(0.000123456)).toBe(0.0001235);
    expect(sig(0)).toBe(0);
    expect(sig(-0)).toBe(0);
  });
  it('wants a log scale only for positive values spanning more than 20×', () => {
    expect(wantsLogScale([1, 19])).toBe(false);
    expect(wantsLogScale([1, 21])).toBe(true);
    expect(wantsLogScale([0, 100])).toBe(false);
  });
});

describe('latency-percentiles', () => {
  it('uses a log y axis when the percentiles span more than 20×, a linear one otherwise', () => {
    const wide = latencyPercentiles(makeRunOutput()) as Json;
    expect(wide.layer[1].encoding.y.scale.type).toBe('log');
    const narrow = makeRunOutput();
    for (const v of narrow.summary.variants) v.metrics.latencyMs.p999 = v.metrics.latencyMs.p99 = v.metrics.latencyMs.p90;
    expect((latencyPercentiles(narrow) as Json).layer[1].encoding.y.scale.type).toBeUndefined();
  });
  it('clips CI lows that a log axis cannot show', () => {
    const output = makeRunOutput();
    output.summary.variants[0]!.metrics.latencyMs.p50 = { mean: 4, lo: -2, hi: 10 };
    expect(values(latencyPercentiles(output)).every((r) => r.lo > 0)).toBe(true);
  });
  it('has one row per variant and percentile', () => {
    expect(values(latencyPercentiles(makeRunOutput()))).toHaveLength(3 * 4);
  });
});

describe('timeseries', () => {
  it('averages replications per window and keeps windows without completions as null', () => {
    const points = values(timeseries(makeRunOutput()));
    expect(points).toHaveLength(3 * 60);
    const first = points.find((p) => p.variant === 'l4' && p.t === 0);
    expect(first.p99Ms).toBeNull();
    // l7-rr: replication 1 has no completions at t = 0, the mean is over the other two.
    expect(points.find((p) => p.variant === 'l7-rr' && p.t === 0).p99Ms).not.toBeNull();
  });
  it('skips null windows in the line and stacks three panels on one time axis', () => {
    const spec = timeseries(makeRunOutput()) as Json;
    expect(spec.vconcat).toHaveLength(3);
    expect(spec.vconcat.map((p: Json) => p.layer.at(-1).encoding.y.title)).toEqual(['throughput (requests/s)', 'errors (requests/s)', 'p99 latency (ms)']);
    expect(spec.vconcat[2].layer.at(-1).transform).toEqual([{ filter: 'isValid(datum.p99Ms)' }]);
    expect(spec.resolve.scale.x).toBe('shared');
  });
  it('averages neighbouring windows when a run has more windows than a line can show', () => {
    const rows: TimeSeriesRow[] = [];
    for (let t = 0; t < 3600; t++) rows.push({ variant: 'a', replication: 0, t, throughputRps: t % 2 ? 10 : 20, errorRps: 0, p50Ms: 1, p90Ms: 2, p99Ms: 3 });
    const { points, bucket } = meanWindows(rows, ['a']);
    expect(bucket).toBe(9);
    expect(points.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(points[0]).toEqual({ variant: 'a', t: 0, throughputRps: sig((20 * 5 + 10 * 4) / 9), errorRps: 0, p99Ms: 3 });
  });
});

describe('pod charts', () => {
  it('orders pods by service, then by index, and labels them service/pod', () => {
    expect(podOrder(syntheticRunOutput(1, { payments: 12, ledger: 2 }))).toEqual([
      ...Array.from({ length: 12 }, (_, i) => `payments/${i}`),
      'ledger/0',
      'ledger/1',
    ]);
  });
  it('draws the fair share 1/pods per service and labels the hot pod', () => {
    const rows = values(podShare(makeRunOutput()));
    const refs = rows.filter((r) => r.kind.startsWith('ref'));
    expect(refs.map((r) => r.ref)).toEqual([0.1, 0.1, 0.1]);
    expect(refs[0].label).toBe('fair share 10%');
    const hot = rows.filter((r) => r.kind === 'pod' && r.label);
    expect(hot.map((r) => `${r.variant} ${r.pod} ${r.label}`)).toEqual(['l4 payments/0 29.6%']);
  });
  it('draws utilization on a 0–100 % axis against the service mean', () => {
    const spec = podUtilization(makeRunOutput()) as Json;
    expect(spec.spec.layer[0].encoding.y.scale.domain).toEqual([0, 1]);
    expect(values(spec).find((r) => r.kind.startsWith('ref')).label).toMatch(/^service mean \d/);
  });

  const layouts: [string, ReturnType<typeof syntheticRunOutput>][] = [
    ['1 variant, 1 pod', syntheticRunOutput(1, { payments: 1 })],
    ['5 variants, 50 pods', syntheticRunOutput(5, { payments: 50 })],
    ['2 variants, 2 services', syntheticRunOutput(2, { payments: 8, ledger: 3 })],
  ];
  for (const [name, output] of layouts) {
    it(`lays out ${name} without Vega-Lite or vega warnings`, async () => {
      for (const build of [podShare, podUtilization, latencyPercentiles, timeseries]) {
        expect((await renderSvgChecked(build(output))).warnings).toEqual([]);
      }
    });
  }
  it('tilts pod labels only when they would collide', () => {
    const angle = (n: number) => (podShare(syntheticRunOutput(1, { p: n })) as Json).spec.layer[0].encoding.x.axis.labelAngle;
    expect(angle(5)).toBe(0);
    expect(angle(50)).toBe(-90);
  });
});
