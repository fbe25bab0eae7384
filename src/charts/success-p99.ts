// What the application saw through a fault: success rate and p99 latency over time, one line per
// variant, two stacked panels on one time axis with the fault windows shaded. A variant that
// recovers climbs back to 100% as soon as the band ends; a stuck one stays down.
import type { TopLevelSpec } from 'vega-lite';
import type { RunOutput, TimeSeriesRow } from '../observe/types.ts';
import { hasFaults } from './edges.ts';
import { faultBands, faultLayers, faultPhrase } from './faults.ts';
import { meanOf, sig, sigOrNull, timeBuckets, wantsLogScale } from './numbers.ts';
import { config, PLOT_WIDTH, replicationPhrase, SCHEMA, variantColor } from './theme.ts';

interface Point {
  variant: string;
  t: number;
  /** OK completions over all completions in the bucket, pooled over replications, %; null when none completed. */
  successPct: number | null;
  p99Ms: number | null;
}

/** Success rate and p99 per (variant, bucket), in summary variant order. */
export function successPoints(output: RunOutput): { points: Point[]; bucket: number | null } {
  const rows = output.tables.timeseries;
  const { bucket, start } = timeBuckets(rows);
  const groups = new Map<string, Map<number, TimeSeriesRow[]>>();
  for (const r of rows) {
    let byT = groups.get(r.variant);
    if (!byT) groups.set(r.variant, (byT = new Map()));
    const t = start(r.t);
    const g = byT.get(t);
    if (g) g.push(r);
    else byT.set(t, [r]);
  }
  const points: Point[] = [];
  for (const v of output.summary.variants) {
    const byT = groups.get(v.name);
    if (!byT) continue;
    for (const [t, g] of [...byT].sort(([a], [b]) => a - b)) {
      const done = g.reduce((s, r) => s + r.throughputRps, 0);
      const failed = g.reduce((s, r) => s + r.errorRps, 0);
      points.push({
        variant: v.name,
        t: sig(t, 6),
        successPct: done > 0 ? sig(Math.max(0, Math.min(100, (100 * (done - failed)) / done))) : null,
        p99Ms: sigOrNull(meanOf(g.map((r) => r.p99Ms))),
      });
    }
  }
  return { points, bucket: bucket === null ? null : sig(bucket) };
}

export function successAndP99OverTime(output: RunOutput): TopLevelSpec | undefined {
  if (!hasFaults(output)) return undefined;
  const { points, bucket } = successPoints(output);
  if (points.length === 0) return undefined;
  const bands = faultBands(output);
  const p99s = points.flatMap((p) => (p.p99Ms === null ? [] : [p.p99Ms]));
  const log = wantsLogScale(p99s);
  const warmup = output.summary.warmup;
  const showWarmup = warmup > 0 && points.some((p) => p.t < warmup);
  const t0 = Math.min(...points.map((p) => p.t));
  const t1 = Math.max(...points.map((p) => p.t)) + (bucket ?? 0);
  const x = { field: 't', type: 'quantitative' as const, title: 'simulated time (s)', scale: { domain: [t0, t1], nice: false, zero: false } };
  const panel = (field: 'successPct' | 'p99Ms', title: string, top: boolean, scale: object, axis?: object) => ({
    width: PLOT_WIDTH,
    height: 170,
    layer: [
      ...(showWarmup
        ? [
            {
              data: { values: [{ from: t0, to: warmup }] },
              mark: { type: 'rect' as const, color: '#000', opacity: 0.06 },
              encoding: { x: { field: 'from', type: 'quantitative' as const }, x2: { field: 'to' } },
            },
          ]
        : []),
      ...faultLayers(bands, top),
      {
        transform: [{ filter: `isValid(datum.${field})` }],
        mark: { type: 'line' as const, strokeWidth: 2, interpolate: 'linear' as const },
        encoding: {
          x: { ...x, axis: top ? { title: null, labels: false, ticks: false, domain: false } : { title: x.title, labelOverlap: true, labelSeparation: 8 } },
          y: { field, type: 'quantitative' as const, title, scale, ...(axis ? { axis } : {}) },
          color: variantColor(output),
          tooltip: [{ field: 'variant' }, { field: 't', title: 'window start (s)' }, { field, title }],
        },
      },
    ],
  });
  const windowText = bucket === null ? '' : `, ${bucket} s windows`;
  return {
    $schema: SCHEMA,
    title: {
      text: `Success rate and p99 latency over time (${replicationPhrase(output, false)}${windowText})`,
      subtitle: [
        'the application’s requests, by the window they completed in; success: answered OK, pooled over replications',
        [`yellow: fault (${faultPhrase(bands)})`, ...(showWarmup ? [`grey: warm-up (first ${warmup} s)`] : []), ...(log ? ['p99 on a log scale'] : [])].join(
          '; ',
        ),
      ],
    },
    data: { values: points },
    vconcat: [
      // A little room above 100% keeps a line at 100% visible and clear of the fault labels' row.
      panel('successPct', 'success rate (%)', true, { domain: [0, 112], nice: false }, { values: [0, 25, 50, 75, 100] }),
      panel('p99Ms', 'p99 latency (ms)', false, log ? { type: 'log' } : { zero: true }),
    ],
    spacing: 12,
    resolve: { scale: { x: 'shared', color: 'shared' } },
    config,
  };
}
