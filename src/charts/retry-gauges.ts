// The state behind the retry limits, over time: Linkerd's retry budget balance, gRPC's retry
// throttle tokens and Envoy's retries in progress, each summed over the proxies or channels that
// send toward one destination, sampled at the end of every window. One panel per gauge kind and
// destination (each on its own scale), one line per variant, fault windows shaded.
import type { TopLevelSpec } from 'vega-lite';
import type { GaugeTimeSeriesRow, RunOutput } from '../observe/types.ts';
import { tierOrder } from './edges.ts';
import { faultBands, faultPhrase, faultRowLayers } from './faults.ts';
import { sig, timeBuckets } from './numbers.ts';
import { config, ofKind, PLOT_WIDTH, replicationPhrase, rowHeader, SCHEMA, variantColor } from './theme.ts';

/** What each gauge kind measures, for panel headers; unknown kinds show their name. */
export const GAUGE_KINDS: Record<string, string> = {
  'linkerd-budget': 'Linkerd retry budget balance (retries it would allow)',
  'grpc-tokens': 'gRPC retry throttle tokens (retries stop below half)',
  'envoy-active-retries': 'Envoy retries in progress',
};

const K = '\u0000';

export function retryGauges(output: RunOutput): TopLevelSpec | undefined {
  const rows: readonly GaugeTimeSeriesRow[] = output.tables.gaugeTimeseries ?? [];
  // A panel for each (kind, destination) that ever reads non-zero: a zero line says nothing.
  const live = new Set(rows.filter((r) => r.value !== 0).map((r) => r.kind + K + r.to));
  const shown = rows.filter((r) => live.has(r.kind + K + r.to));
  if (shown.length === 0) return undefined;
  const { bucket, start } = timeBuckets(shown);
  const sums = new Map<string, { variant: string; kind: string; to: string; t: number; sum: number; n: number }>();
  for (const r of shown) {
    const t = start(r.t);
    const key = [r.variant, r.kind, r.to, t].join(K);
    const s = sums.get(key);
    if (s) {
      s.sum += r.value;
      s.n += 1;
    } else sums.set(key, { variant: r.variant, kind: r.kind, to: r.to, t, sum: r.value, n: 1 });
  }
  // Panels: kinds in order of first appearance, destinations along the call chain.
  const kinds = [...new Set(shown.map((r) => r.kind))];
  const tiers = tierOrder(output.summary);
  const tierRank = (to: string) => (tiers.includes(to) ? tiers.indexOf(to) : tiers.length);
  const panels = [...live]
    .map((key) => {
      const [kind, to] = key.split(K) as [string, string];
      return { kind, to, label: `${to}: ${GAUGE_KINDS[kind] ?? kind}` };
    })
    .sort((a, b) => kinds.indexOf(a.kind) - kinds.indexOf(b.kind) || tierRank(a.to) - tierRank(b.to) || (a.to < b.to ? -1 : 1));
  const labelOf = new Map(panels.map((p) => [p.kind + K + p.to, p.label]));
  const variantOrder = output.summary.variants.map((v) => v.name);
  const points = [...sums.values()]
    .map((s) => ({ kind: 'gauge', panel: labelOf.get(s.kind + K + s.to)!, variant: s.variant, t: sig(s.t, 6), value: sig(s.sum / s.n) }))
    .sort((a, b) => variantOrder.indexOf(a.variant) - variantOrder.indexOf(b.variant) || a.t - b.t);
  const values: object[] = [...points];
  const t0 = Math.min(...points.map((p) => p.t));
  const t1 = Math.max(...points.map((p) => p.t));
  // The fault bands behind every panel, labelled in the first.
  const bands = faultBands(output).filter((b) => b.to > t0 && b.from < t1);
  panels.forEach((p, i) => {
    for (const b of bands) values.push({ kind: 'fault', panel: p.label, ...b, ...(i === 0 ? { text: b.label } : {}) });
  });
  // An invisible point a fifth above each panel's highest value keeps the top strip, where the
  // fault labels go, clear of the lines (each panel has its own scale, so no fixed domain will do).
  if (bands.length > 0) {
    for (const p of panels) {
      const inPanel = points.filter((q) => q.panel === p.label).map((q) => q.value);
      const max = Math.max(...inPanel);
      const min = Math.min(0, ...inPanel);
      values.push({ kind: 'headroom', panel: p.label, t: t0, value: sig(max + 0.25 * (max - min)) });
    }
  }
  const present = variantOrder.filter((v) => shown.some((r) => r.variant === v));
  const x = { type: 'quantitative' as const, scale: { domain: [t0, t1], nice: false, zero: false } };
  const n = panels.length;
  const windowText = bucket === null ? '' : `, ${sig(bucket)} s windows`;
  return {
    $schema: SCHEMA,
    title: {
      text: `Retry budgets, throttle tokens and retries in progress over time (${replicationPhrase(output, false)}${windowText})`,
      subtitle: [
        'each summed over every proxy or client channel sending to the destination, read at the end of each window; each panel on its own scale',
        ...(bands.length > 0 ? [`yellow: fault (${faultPhrase(bands)})`] : []),
      ],
    },
    data: { values },
    facet: {
      row: {
        field: 'panel',
        type: 'nominal',
        sort: panels.map((p) => p.label),
        title: null,
        header: { ...rowHeader, labelFontWeight: 'normal' },
      },
    },
    spacing: 14,
    spec: {
      width: PLOT_WIDTH,
      height: Math.round(Math.min(150, Math.max(90, 520 / n))),
      layer: [
        ...(bands.length > 0 ? faultRowLayers(x) : []),
        ...(bands.length > 0
          ? [
              {
                transform: ofKind('headroom'),
                mark: { type: 'point' as const, opacity: 0 },
                encoding: { x: { ...x, field: 't' }, y: { field: 'value', type: 'quantitative' as const } },
              },
            ]
          : []),
        {
          transform: ofKind('gauge'),
          mark: { type: 'line' as const, strokeWidth: 2, interpolate: 'linear' as const },
          encoding: {
            x: { ...x, field: 't', title: 'simulated time (s)', axis: { labelOverlap: true, labelSeparation: 8 } },
            y: { field: 'value', type: 'quantitative' as const, title: null, scale: { zero: true } },
            color: { ...variantColor(output), legend: { orient: 'right' as const, values: present } },
            tooltip: [{ field: 'panel', title: 'gauge' }, { field: 'variant' }, { field: 't', title: 'time (s)' }, { field: 'value' }],
          },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
    config,
  };
}
