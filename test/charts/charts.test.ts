// Behaviour of the individual charts: scale choices, CI clipping, window averaging, pod layout
// for 1–5 variants and 1–50 pods, pods ranked per replication, hot-pod labels, fair shares that
// follow scale-outs, heatmap binning, and charts left out when there is nothing to draw.
import { describe, expect, it } from 'vitest';
import { certificateTimeline } from '../../src/charts/certificate-timeline.ts';
import { csrQueueWait, validCertificatesAndErrors } from '../../src/charts/identity-series.ts';
import {
  buildCharts,
  connectionsOverTime,
  latencyP99,
  latencyPercentiles,
  podShare,
  podUtilization,
  podUtilizationHeatmap,
  timeseries,
} from '../../src/charts/index.ts';
import { meanCi, sig, t975, wantsLogScale } from '../../src/charts/numbers.ts';
import { podOrder } from '../../src/charts/pod-bars.ts';
import { fairShares, MAX_COLUMNS, podHeatmap } from '../../src/charts/pod-data.ts';
import { countTicks, rowHeight } from '../../src/charts/pod-heatmaps.ts';
import { subsetShare } from '../../src/charts/subset-share.ts';
import { MAX_POINTS, meanWindows } from '../../src/charts/timeseries.ts';
import type { PodTimeSeriesRow, TimeSeriesRow } from '../../src/observe/types.ts';
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
  it('computes the Student-t 95% interval as src/observe does', () => {
    expect(t975(2)).toBeCloseTo(4.303, 3);
    expect(t975(30)).toBeCloseTo(2.042, 3);
    expect(t975(60)).toBeCloseTo(2.0003, 3);
    expect(t975(1000)).toBeCloseTo(1.9623, 3);
    const f = meanCi([1, 2, 3]);
    expect(f.mean).toBe(2);
    expect(f.hi - f.mean).toBeCloseTo(4.302653 / Math.sqrt(3), 4);
    expect(meanCi([5])).toEqual({ mean: 5, lo: 5, hi: 5 });
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
  it('ranks pods busiest first within each replication, so a hot pod that moves between replications still shows', () => {
    const output = makeRunOutput();
    const bars = values(podShare(output)).filter((r) => r.kind === 'pod' && r.variant === 'l4');
    expect(bars.map((b) => b.pod)).toEqual(Array.from({ length: 10 }, (_, i) => `#${i + 1}`));
    for (let i = 1; i < bars.length; i++) expect(bars[i].mean).toBeLessThanOrEqual(bars[i - 1].mean);
    // Rank 1 is the mean of each replication's busiest pod, whichever pod that was.
    const busiest = [0, 1, 2].map((rep) => Math.max(...output.tables.pods.filter((r) => r.variant === 'l4' && r.replication === rep).map((r) => r.share)));
    expect(bars[0].mean).toBe(sig(busiest.reduce((a, b) => a + b, 0) / 3));
    // The l4 draw leaves pods idle: the last ranks are empty, and no CI reaches below zero.
    expect(bars.at(-1).mean).toBe(0);
    expect(bars.every((b) => b.lo >= 0 && b.hi <= 1)).toBe(true);
  });
  it('draws the fair share 1/pods, labels hot pods and notes the idle fraction per variant', () => {
    const rows = values(podShare(makeRunOutput()));
    const refs = rows.filter((r) => r.kind.startsWith('ref'));
    expect(refs.map((r) => [r.variant, r.from, r.to, r.ref, r.label])).toEqual(['l4', 'l7-rr', 'l7-p2c'].map((v) => [v, '#1', '#10', 0.1, 'fair share 10.0%']));
    const hot = rows.filter((r) => r.kind === 'pod' && r.label);
    expect(hot.length).toBeGreaterThan(0);
    expect(hot.every((r) => r.variant === 'l4' && r.mean > 0.15)).toBe(true);
    expect(rows.filter((r) => r.kind === 'note').map((r) => r.label)).toEqual(['idle pods 57%', 'idle pods 0%', 'idle pods 0%']);
  });
  it('leaves the idle note out when no variant has idle pods', () => {
    const output = makeRunOutput();
    for (const v of output.summary.variants) v.metrics.idlePodFraction = { mean: 0, lo: 0, hi: 0 };
    const spec = podShare(output) as Json;
    expect(values(spec).some((r) => r.kind === 'note')).toBe(false);
    expect(spec.title.subtitle.join(' ')).not.toMatch(/idle/);
  });
  it('owes pods added by a scale-out only the time they existed: the fair share steps down', () => {
    // 8 pods, 4 of them added at 30 s; measured 5–60 s. Old pods: (25/4 + 30/8) / 55 = 18.2 %; new: (30/8) / 55 = 6.82 %.
    const output = syntheticRunOutput(2, { payments: 8 }, 60, { addedAt: 30 });
    const fair = fairShares(output);
    expect(fair('l7-rr', 0, 'payments', 0)).toBeCloseTo((25 / 4 + 30 / 8) / 55, 3);
    expect(fair('l7-rr', 0, 'payments', 7)).toBeCloseTo(30 / 8 / 55, 3);
    expect(fair('l7-rr', 0, 'other', 0)).toBeUndefined();
    const spec = podShare(output) as Json;
    const refs = values(spec).filter((r) => r.kind.startsWith('ref') && r.variant === 'l7-rr');
    expect(refs.map((r) => [r.from, r.to, r.label])).toEqual([
      ['#1', '#4', 'fair share 18.2%'],
      ['#5', '#8', 'fair share 6.81%'],
    ]);
    // The upper step's label sits right of its segment, above the lower ranks, like the last one.
    expect(refs.map((r) => r.kind)).toEqual(['ref-right', 'ref-right']);
    expect(spec.title.subtitle.at(-1)).toMatch(/steps down/);
    // Only the synthetic hot pod (2.5 × the others' load) is labelled; the rest sit on their step.
    expect(
      values(spec)
        .filter((r) => r.variant === 'l7-rr' && r.kind === 'pod' && r.label)
        .map((r) => r.pod),
    ).toEqual(['#1']);
    // L4 leaves the new pods idle.
    expect(values(spec).filter((r) => r.variant === 'l4' && r.kind === 'pod' && r.mean === 0)).toHaveLength(4);
  });
  it('falls back to summary means and 1/pods when the run has no pod tables', () => {
    const output = makeRunOutput();
    output.tables.pods = [];
    output.tables.podTimeseries = [];
    const rows = values(podShare(output)).filter((r) => r.kind === 'pod' && r.variant === 'l7-rr');
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.lo === r.mean && r.ref === 0.1)).toBe(true);
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
    ['3 variants, 12 pods, 8 added at 40 s', syntheticRunOutput(3, { payments: 12 }, 100, { addedAt: 40 })],
  ];
  for (const [name, output] of layouts) {
    it(`lays out ${name} without Vega-Lite or vega warnings`, async () => {
      for (const build of [podShare, podUtilization, latencyPercentiles, timeseries, latencyP99, podUtilizationHeatmap, connectionsOverTime]) {
        const spec = build(output);
        expect(spec).toBeDefined();
        expect((await renderSvgChecked(spec!)).warnings).toEqual([]);
      }
    });
  }
  it('tilts pod labels only when they would collide', () => {
    const angle = (n: number) => (podShare(syntheticRunOutput(1, { p: n })) as Json).spec.layer[0].encoding.x.axis.labelAngle;
    expect(angle(5)).toBe(0);
    expect(angle(50)).toBe(-90);
  });
});

describe('latency-p99', () => {
  it('has one bar per variant with a label, on a linear axis from zero', () => {
    const spec = latencyP99(makeRunOutput()) as Json;
    expect(values(spec).map((r) => r.variant)).toEqual(['l4', 'l7-rr', 'l7-p2c']);
    expect(values(spec)[0].label).toBe('62.1 ms');
    expect(spec.layer[0].mark.type).toBe('bar');
    expect(spec.layer[0].encoding.x.scale.domain[0]).toBe(0);
    expect(spec.layer[0].encoding.x.title).toBe('p99 latency (ms)');
  });
  it('turns logarithmic with dots when the variants span more than 20×, and clips CIs below the axis', () => {
    const output = makeRunOutput();
    output.summary.variants[0]!.metrics.latencyMs.p99 = { mean: 400, lo: -100, hi: 900 };
    const spec = latencyP99(output) as Json;
    expect(spec.layer[0].mark.type).toBe('point');
    expect(spec.layer[0].encoding.x.scale.type).toBe('log');
    expect(spec.title.subtitle.join(' ')).toMatch(/log scale/);
    expect(values(spec).every((r) => r.lo > 0)).toBe(true);
    const linear = makeRunOutput();
    linear.summary.variants[0]!.metrics.latencyMs.p99 = { mean: 100, lo: -20, hi: 220 };
    expect(values(latencyP99(linear))[0].lo).toBe(0);
  });
  it('leaves out the whiskers with one replication', () => {
    const output = syntheticRunOutput(2, { p: 3 });
    for (const v of output.summary.variants) v.metrics.latencyMs.p99 = { mean: 20, lo: 20, hi: 20 };
    const spec = latencyP99(output) as Json;
    expect(spec.layer).toHaveLength(2);
    expect(spec.title.subtitle.join(' ')).not.toMatch(/whisker/);
  });
});

describe('pod heatmaps', () => {
  it('averages utilization over replications per pod and window', () => {
    const output = makeRunOutput();
    const cell = values(podUtilizationHeatmap(output)).find((c) => c.variant === 'l4' && c.pod === 'payments/3' && c.t === 25);
    const rows = output.tables.podTimeseries.filter((r) => r.variant === 'l4' && r.pod === 3 && r.t === 25);
    expect(rows).toHaveLength(3);
    expect(cell).toEqual({ variant: 'l4', pod: 'payments/3', t: 25, t2: 30, value: sig(rows.reduce((a, r) => a + r.utilization, 0) / 3, 3) });
  });
  it('draws a row per pod (service/index), a panel per variant, utilization 0–100 % from dark to bright', () => {
    const spec = podUtilizationHeatmap(makeRunOutput()) as Json;
    expect(spec.facet.row.sort).toEqual(['l4', 'l7-rr', 'l7-p2c']);
    expect(spec.spec.encoding.y.sort).toEqual(Array.from({ length: 10 }, (_, i) => `payments/${i}`));
    expect(spec.spec.encoding.color.scale).toMatchObject({ domain: [0, 1], scheme: 'inferno' });
    expect(spec.spec.encoding.color.title).toBe('utilization (%)');
    expect(spec.spec.encoding.x.title).toBe('simulated time (s)');
    expect(spec.title.text).toMatch(/mean of 3 replications/);
  });
  it('leaves pods that did not exist yet without cells (grey), and keeps idle new pods dark under L4', () => {
    const output = syntheticRunOutput(3, { payments: 12 }, 100, { addedAt: 40 });
    const cells = values(podUtilizationHeatmap(output));
    const added = cells.filter((c) => c.pod === 'payments/11');
    expect(Math.min(...added.map((c) => c.t))).toBe(40);
    expect(added.filter((c) => c.variant === 'l4').every((c) => c.value === 0)).toBe(true);
    expect(added.filter((c) => c.variant === 'l7-rr').every((c) => c.value > 0)).toBe(true);
  });
  it('bins long runs into at most MAX_COLUMNS columns', () => {
    const rows: PodTimeSeriesRow[] = [];
    for (let t = 0; t < 3600; t++) rows.push({ variant: 'a', replication: 0, t, service: 's', pod: 0, requests: 1, utilization: t % 2, connections: 1 });
    const output = makeRunOutput();
    output.tables.podTimeseries = rows;
    const map = podHeatmap(output, 'utilization')!;
    expect(map.bin).toBe(30);
    expect(map.cells).toHaveLength(120);
    expect(map.cells.length).toBeLessThanOrEqual(MAX_COLUMNS);
    expect(map.cells[0]).toEqual({ variant: 'a', pod: 's/0', t: 0, t2: 30, value: 0.5 });
    expect((podUtilizationHeatmap(output) as Json).title.subtitle[0]).toMatch(/averaged into 30 s columns/);
  });
  it('sizes rows from 20 px for a few pods down to 6 px for 50', () => {
    expect(rowHeight(10)).toBe(20);
    expect(rowHeight(50)).toBe(6);
    expect(rowHeight(1)).toBe(20);
  });
  it('notes when which pods sit idle differs between replications (the mean blends them)', () => {
    expect((podUtilizationHeatmap(makeRunOutput()) as Json).title.subtitle.join(' ')).toMatch(/differs between replications/);
    expect((podUtilizationHeatmap(syntheticRunOutput(2, { p: 4 })) as Json).title.subtitle.join(' ')).not.toMatch(/differs/);
  });
  it('shows open connections with whole-number legend values', () => {
    const spec = connectionsOverTime(makeRunOutput()) as Json;
    expect(spec.spec.encoding.color.title).toBe('open connections');
    expect(spec.spec.encoding.color.scale.domain).toEqual([0, 6]);
    expect(spec.spec.encoding.color.legend.values).toEqual([0, 1, 2, 4, 6]);
    expect(countTicks(3)).toEqual([0, 1, 2, 3]);
    expect(countTicks(40)).toEqual([0, 1, 10, 20, 30, 40]);
  });
  it('leaves a chart out when there is nothing to draw', () => {
    const none = syntheticRunOutput(2, { p: 4 }, 20, { connections: false });
    expect(connectionsOverTime(none)).toBeUndefined();
    expect(Object.keys(buildCharts(none))).not.toContain('connections-over-time');
    const empty = makeRunOutput();
    empty.tables.podTimeseries = [];
    // A run without mTLS has no identity tables, and no identity charts.
    empty.tables.identityTimeseries = [];
    empty.tables.certificates = [];
    empty.tables.handshakeFailures = [];
    expect(podUtilizationHeatmap(empty)).toBeUndefined();
    expect(Object.keys(buildCharts(empty))).toEqual([
      'ejection-timeline',
      'offered-attempted-goodput',
      'success-and-p99-over-time',
      'errors-by-variant',
      'attempts-per-request-by-tier',
      'retry-gauges',
      'subset-share',
      'pod-share',
      'latency-p99',
      'latency-percentiles',
      'timeseries',
      'pod-utilization',
    ]);
  });
});

describe('subset share', () => {
  it('is left out when no variant has subsets, and shows both figures per subset, clipped to 0–100 %, when one has', () => {
    const none = makeRunOutput();
    for (const v of none.summary.variants) v.subsets = [];
    expect(subsetShare(none)).toBeUndefined();
    const wide = makeRunOutput();
    const v2 = wide.summary.variants[0]!.subsets[1]!;
    v2.share = { mean: 0.05, lo: -0.1, hi: 0.2 };
    const rows = (subsetShare(wide) as { data: { values: { variant: string; subset: string; measure: string; lo: number }[] } }).data.values;
    const first = rows.filter((r) => r.variant === wide.summary.variants[0]!.name);
    expect(first.map((r) => `${r.subset} ${r.measure}`)).toEqual([
      'v1 share of requests (%)',
      'v1 success rate (%)',
      'v2 share of requests (%)',
      'v2 success rate (%)',
    ]);
    expect(first[2]!.lo).toBe(0);
  });
});

describe('identity charts', () => {
  it('are left out when every workload kept its first certificate and no handshake failed', () => {
    const quiet = makeRunOutput();
    quiet.tables.certificates = quiet.tables.certificates.filter((c) => !c.renewal);
    quiet.tables.handshakeFailures = [];
    quiet.tables.identityTimeseries = quiet.tables.identityTimeseries.map((r) => ({
      ...r,
      handshakeFailures: 0,
      validFraction: 1,
      csrWaitMaxMs: null,
      csrWaitMeanMs: null,
    }));
    expect(certificateTimeline(quiet)).toBeUndefined();
    expect(validCertificatesAndErrors(quiet)).toBeUndefined();
    expect(csrQueueWait(quiet)).toBeUndefined();
    // One failed handshake is enough to draw the timeline.
    quiet.tables.handshakeFailures = [{ variant: 'l4', replication: 0, workload: 'frontend/0', t: 10, count: 1 }];
    expect(certificateTimeline(quiet)).toBeDefined();
  });

  it('the timeline draws each certificate only while it was held: a restart leaves a gap until the next one', () => {
    const out = makeRunOutput();
    const v = out.summary.variants[0]!.name;
    out.tables.certificates = [
      { variant: v, replication: 0, workload: 'payments/0', serial: 'a', from: -10, to: 50, renewal: false, installedAt: 0, releasedAt: 20 },
      { variant: v, replication: 0, workload: 'payments/0', serial: 'b', from: 30, to: 90, renewal: false, installedAt: 30, releasedAt: null },
    ];
    out.tables.handshakeFailures = [];
    const spec = certificateTimeline(out) as unknown as { data: { values: { variant: string; from: number; to: number; state: string }[] } };
    const bars = spec.data.values.filter((b) => b.variant === v).map((b) => [b.from, b.to, b.state]);
    // The run lasts 60 s: held 0–20 s, a gap while the restarted pod waited, then 30–60 s.
    expect(bars).toEqual([
      [0, 20, 'valid'],
      [30, 60, 'valid'],
    ]);
  });
});
