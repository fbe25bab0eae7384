// The retry and fault charts: offered/attempted/goodput per variant with recovery headers, tries
// per request down the call chain, success and p99 through the fault, retry gauges, fault bands on
// the time charts — and each left out when the run has no retries, faults or gauges to show.
import { describe, expect, it } from 'vitest';
import { hasRetries, tierOrder } from '../../src/charts/edges.ts';
import { faultBands } from '../../src/charts/faults.ts';
import { attemptsPerRequestByTier, buildCharts, offeredAttemptedGoodput, retryGauges, successAndP99OverTime, timeseries } from '../../src/charts/index.ts';
import { meanCi, sig } from '../../src/charts/numbers.ts';
import { entrySeries, RECOVERED, recovery } from '../../src/charts/offered-attempted-goodput.ts';
import type { RunOutput } from '../../src/observe/types.ts';
import { renderSvgChecked } from '../../src/report/render.ts';
import { makeRunOutput, syntheticRunOutput } from '../fixtures/run-output.ts';

// biome-ignore lint/suspicious/noExplicitAny: specs are walked as plain JSON here
type Json = any;
const values = (spec: unknown): Json[] => (spec as Json).data.values;
const ofKind = (spec: unknown, kind: string) => values(spec).filter((r) => r.kind === kind);

/** A run with neither retries nor faults: every edge one try per request, no fault, no gauges. */
function plainRun(): RunOutput {
  const output = makeRunOutput();
  for (const v of output.summary.variants) {
    v.faults = [];
    v.edges = v.edges
      .filter((e) => e.entry)
      .map((e) => ({ ...e, attempts: e.requests, retries: { mean: 0, lo: 0, hi: 0 }, retriesRejected: { mean: 0, lo: 0, hi: 0 } }));
  }
  output.tables.gaugeTimeseries = [];
  return output;
}

describe('edges and fault bands', () => {
  it('orders tiers along the call chain, whatever order the edges are listed in', () => {
    const output = makeRunOutput();
    expect(output.summary.variants[0]!.edges.map((e) => e.to)).toEqual(['ledger', 'payments']);
    expect(tierOrder(output.summary)).toEqual(['payments', 'ledger']);
    expect(hasRetries(output)).toBe(true);
    expect(hasRetries(plainRun())).toBe(false);
  });

  it('merges faults that share a window, names the variants of a partial fault, and stacks labels that would collide', () => {
    const output = makeRunOutput();
    const [l4, rr] = output.summary.variants;
    l4!.faults.push({ target: 'ledger', kind: 'errors', from: 30, to: 40 }, { target: 'ledger/1', kind: 'crash', from: 32, to: 60 });
    rr!.faults.push({ target: 'ledger', kind: 'errors', from: 30, to: 40 });
    const bands = faultBands(output);
    expect(bands.map((b) => [b.from, b.to, b.label])).toEqual([
      [30, 40, 'payments/0 slowdown, ledger errors (l4, l7-rr)'],
      [32, 60, 'ledger/1 crash (l4)'],
    ]);
    expect(bands.map((b) => b.labelY)).toEqual([3, 17]);
    expect(faultBands(output, ['l4']).map((b) => b.label)).toEqual(['payments/0 slowdown, ledger errors', 'ledger/1 crash']);
  });
});

describe('offered-attempted-goodput', () => {
  const spec = offeredAttemptedGoodput(makeRunOutput()) as Json;

  it('averages the entry edge over replications per window, leaving the downstream edge out', () => {
    const output = makeRunOutput();
    const rows = output.tables.edgeTimeseries.filter((r) => r.variant === 'l4' && r.t === 35 && r.from === 'frontend');
    expect(rows).toHaveLength(3);
    const point = (series: string) => ofKind(spec, 'rate').find((r) => r.variant === 'l4' && r.t === 35 && r.series === series).rps;
    expect(point('offered')).toBe(sig(rows.reduce((s, r) => s + r.offeredRps, 0) / 3));
    expect(point('attempted (with retries)')).toBe(sig(rows.reduce((s, r) => s + r.attemptedRps, 0) / 3));
    expect(point('goodput (answered OK)')).toBe(sig(rows.reduce((s, r) => s + r.goodputRps, 0) / 3));
    expect(ofKind(spec, 'rate')).toHaveLength(3 * 3 * 60);
  });

  it('draws a panel per variant with three series, one legend, and the fault shaded and labelled once', () => {
    expect(spec.facet.row.sort).toEqual(['l4', 'l7-rr', 'l7-p2c']);
    const line = spec.spec.layer.at(-1);
    expect(line.encoding.color.scale.domain).toEqual(['offered', 'attempted (with retries)', 'goodput (answered OK)']);
    expect(line.encoding.strokeDash.legend).toEqual(line.encoding.color.legend);
    const faults = ofKind(spec, 'fault');
    expect(faults.map((f) => [f.variant, f.from, f.to])).toEqual(['l4', 'l7-rr', 'l7-p2c'].map((v) => [v, 30, 40]));
    expect(faults.filter((f) => f.text).map((f) => f.variant)).toEqual(['l4']);
    expect(spec.title.subtitle.join(' ')).toMatch(/yellow: fault \(payments\/0 slowdown 30–40 s\)/);
  });

  it('says in each header when goodput came back after the fault', () => {
    const expr = spec.facet.row.header.labelExpr as string;
    const headers = JSON.parse(expr.slice(0, expr.indexOf('}') + 1));
    expect(headers).toEqual({
      l4: 'l4 · recovered 9 s after the fault',
      'l7-rr': 'l7-rr · recovered 2 s after the fault',
      'l7-p2c': 'l7-p2c · recovered 1 s after the fault',
    });
  });

  it('says when a variant never recovered', () => {
    const output = makeRunOutput();
    for (const r of output.tables.edgeTimeseries) if (r.variant === 'l4' && r.t >= 30) r.goodputRps = 0;
    expect((offeredAttemptedGoodput(output) as Json).facet.row.header.labelExpr).toContain('"l4 · not recovered by the end: goodput 0% of offered"');
  });

  it('finds recovery only where goodput stays up, and notices when it never fell', () => {
    const points = (goodput: number[]) => goodput.map((g, t) => ({ t, offeredRps: 100, attemptedRps: 100, goodputRps: g }));
    expect(recovery(points([100, 0, 0, 95, 0, 95, 95, 95]), 1, 2, 1)).toBe(4);
    expect(recovery(points([100, 0, 0, 0, 0, 0]), 1, 2, 1)).toBeNull();
    expect(recovery(points([100, 100 * RECOVERED, 100, 100]), 1, 2, 1)).toBe('never fell');
    // Recovered in the last windows of the run: fewer than three left still count.
    expect(recovery(points([100, 0, 0, 0, 99, 99]), 1, 2, 1)).toBe(3);
  });

  it('sums several entry edges per window', () => {
    const output = makeRunOutput();
    const v = output.summary.variants[0]!;
    v.edges.push({ ...v.edges[1]!, from: 'batch', to: 'payments' });
    for (const r of output.tables.edgeTimeseries.filter((r) => r.variant === 'l4' && r.from === 'frontend')) {
      output.tables.edgeTimeseries.push({ ...r, from: 'batch', offeredRps: 10, attemptedRps: 10, goodputRps: 10 });
    }
    const before = entrySeries(makeRunOutput()).series.get('l4')![10]!;
    const after = entrySeries(output).series.get('l4')![10]!;
    expect(after.offeredRps).toBeCloseTo(before.offeredRps + 10, 0);
  });

  it('is left out without retries and faults, and without per-edge series', () => {
    expect(offeredAttemptedGoodput(plainRun())).toBeUndefined();
    const noTable = makeRunOutput();
    noTable.tables.edgeTimeseries = [];
    expect(offeredAttemptedGoodput(noTable)).toBeUndefined();
  });
});

describe('attempts-per-request-by-tier', () => {
  it('divides the tries into each tier by the entry requests, with the replications’ spread as the CI', () => {
    const output = makeRunOutput();
    const spec = attemptsPerRequestByTier(output) as Json;
    expect(values(spec).map((r) => [r.variant, r.tier])).toEqual(
      ['l4', 'l7-rr', 'l7-p2c'].flatMap((v) => [
        [v, 'payments'],
        [v, 'ledger'],
      ]),
    );
    const l4 = output.summary.variants[0]!;
    const [ledger, payments] = l4.edges;
    const row = values(spec).find((r) => r.variant === 'l4' && r.tier === 'ledger');
    expect(row.mean).toBe(sig(ledger!.attempts.mean / payments!.requests.mean));
    expect(row.callers).toBe('ledger ← payments');
    // Per replication over the measured windows: tries into ledger over the entry edge's requests.
    const ratios = [0, 1, 2].map((rep) => {
      const rows = output.tables.edgeTimeseries.filter((r) => r.variant === 'l4' && r.replication === rep && r.t >= 5);
      const sum = (from: string, field: 'offeredRps' | 'attemptedRps') => rows.filter((r) => r.from === from).reduce((s, r) => s + r[field], 0);
      return sum('payments', 'attemptedRps') / sum('frontend', 'offeredRps');
    });
    const f = meanCi(ratios);
    expect(row.hi - row.mean).toBeCloseTo((f.hi - f.lo) / 2, 3);
    expect(values(spec).every((r) => r.label === r.mean.toFixed(2))).toBe(true);
    expect(spec.title.subtitle[0]).toMatch(/payments → ledger/);
  });

  it('falls back to the attempts’ CI without per-edge series, and is left out without retries', () => {
    const output = makeRunOutput();
    output.tables.edgeTimeseries = [];
    const row = values(attemptsPerRequestByTier(output)).find((r) => r.variant === 'l7-rr' && r.tier === 'payments');
    const e = output.summary.variants[1]!.edges[1]!;
    expect(row.hi).toBe(sig(e.attempts.mean / e.requests.mean + (e.attempts.hi - e.attempts.lo) / 2 / e.requests.mean));
    expect(attemptsPerRequestByTier(plainRun())).toBeUndefined();
  });
});

describe('success-and-p99-over-time', () => {
  it('pools success over replications per window and shades the fault, labelled in the top panel', () => {
    const output = makeRunOutput();
    const spec = successAndP99OverTime(output) as Json;
    const rows = output.tables.timeseries.filter((r) => r.variant === 'l7-rr' && r.t === 33);
    const done = rows.reduce((s, r) => s + r.throughputRps, 0);
    const failed = rows.reduce((s, r) => s + r.errorRps, 0);
    expect(values(spec).find((p) => p.variant === 'l7-rr' && p.t === 33).successPct).toBe(sig((100 * (done - failed)) / done));
    // l4 completed nothing in its first window: no point there.
    expect(values(spec).find((p) => p.variant === 'l4' && p.t === 0).successPct).toBeNull();
    const marks = spec.vconcat.map((panel: Json) => panel.layer.map((l: Json) => l.mark.type));
    expect(marks).toEqual([
      ['rect', 'rect', 'text', 'line'],
      ['rect', 'rect', 'line'],
    ]);
    expect(spec.vconcat[0].layer[3].encoding.y.title).toBe('success rate (%)');
  });

  it('is left out when the run has no fault', () => {
    expect(successAndP99OverTime(plainRun())).toBeUndefined();
  });
});

describe('retry-gauges', () => {
  it('draws a panel per gauge kind and destination, on its own scale, with a legend of the variants that have gauges', () => {
    const spec = retryGauges(makeRunOutput()) as Json;
    expect(spec.facet.row.sort).toEqual([
      'payments: Envoy retries in progress',
      'payments: Linkerd retry budget balance (retries it would allow)',
      'ledger: Linkerd retry budget balance (retries it would allow)',
    ]);
    expect(spec.resolve.scale.y).toBe('independent');
    const line = spec.spec.layer.at(-1);
    expect(line.encoding.color.legend.values).toEqual(['l4', 'l7-rr', 'l7-p2c']);
    // Headroom above each panel's highest line for the fault label.
    const top = Math.max(
      ...ofKind(spec, 'gauge')
        .filter((g) => g.panel === spec.facet.row.sort[0])
        .map((g) => g.value),
    );
    expect(ofKind(spec, 'headroom')[0].value).toBeGreaterThan(top);
  });

  it('leaves out panels whose gauge never leaves zero, and the chart when none does', () => {
    const output = makeRunOutput();
    for (const r of output.tables.gaugeTimeseries) if (r.kind === 'linkerd-budget') r.value = 0;
    const spec = retryGauges(output) as Json;
    expect(spec.facet.row.sort).toEqual(['payments: Envoy retries in progress']);
    expect(spec.spec.layer.at(-1).encoding.color.legend.values).toEqual(['l4', 'l7-rr']);
    for (const r of output.tables.gaugeTimeseries) r.value = 0;
    expect(retryGauges(output)).toBeUndefined();
    expect(retryGauges(plainRun())).toBeUndefined();
  });
});

describe('fault bands on the timeseries chart', () => {
  it('shades the fault in every panel and labels it at the foot of the throughput panel', () => {
    const spec = timeseries(makeRunOutput()) as Json;
    expect(spec.vconcat.map((p: Json) => p.layer.map((l: Json) => l.mark.type))).toEqual([
      ['rect', 'rect', 'text', 'line'],
      ['rect', 'rect', 'line'],
      ['rect', 'rect', 'line'],
    ]);
    expect(spec.vconcat[0].layer[2].transform).toEqual([{ calculate: '150 - datum.labelY', as: 'labelY' }]);
    expect(spec.title.subtitle).toEqual(['grey: warm-up (first 5 s), excluded from the summary figures', 'yellow: fault (payments/0 slowdown 30–40 s)']);
  });

  it('leaves a run without faults as it was', () => {
    const spec = timeseries(plainRun()) as Json;
    expect(spec.title.subtitle).toBe('shaded: warm-up (first 5 s), excluded from the summary figures');
    expect(spec.vconcat[0].layer.map((l: Json) => l.mark.type)).toEqual(['rect', 'line']);
  });
});

describe('layouts', () => {
  it('a run without retries, faults or gauges draws none of the retry charts', () => {
    const names = Object.keys(buildCharts(syntheticRunOutput(2, { p: 4 })));
    for (const name of ['offered-attempted-goodput', 'success-and-p99-over-time', 'attempts-per-request-by-tier', 'retry-gauges'])
      expect(names).not.toContain(name);
  });

  for (const n of [1, 5]) {
    it(`lays out the retry charts for ${n} variant${n === 1 ? '' : 's'} without Vega-Lite or vega warnings`, async () => {
      const output = syntheticRunOutput(n, { payments: 4 }, 60, { retries: true });
      for (const build of [offeredAttemptedGoodput, successAndP99OverTime, attemptsPerRequestByTier, retryGauges, timeseries]) {
        const spec = build(output);
        expect(spec).toBeDefined();
        expect((await renderSvgChecked(spec!)).warnings).toEqual([]);
      }
      const expr = (offeredAttemptedGoodput(output) as Json).facet.row.header.labelExpr as string;
      expect(expr).toContain(`recovered ${1 + 5 * (n - 1)} s after the fault`);
    });
  }
});
