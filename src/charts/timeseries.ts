// Throughput, errors and p99 latency over simulated time: three stacked panels sharing the time
// axis, one line per variant, each point the mean over replications of one window.
import type { TopLevelSpec } from 'vega-lite';
import type { RunOutput, TimeSeriesRow } from '../observe/types.ts';
import { faultBands, faultLayers, faultPhrase } from './faults.ts';
import { MAX_POINTS, meanOf, sig, sigOrNull, timeBuckets, wantsLogScale } from './numbers.ts';
import { config, PLOT_WIDTH, replicationPhrase, SCHEMA, variantColor, variantNames } from './theme.ts';

interface Point {
  variant: string;
  t: number;
  throughputRps: number;
  errorRps: number;
  p99Ms: number | null;
}

export { MAX_POINTS };

const PANEL_HEIGHT = 150;

/**
 * Mean over replications (and over neighbouring windows when a run has more than MAX_POINTS
 * windows) per (variant, bucket start); a bucket where no window completed a request has p99 null.
 */
export function meanWindows(rows: readonly TimeSeriesRow[], variantOrder: readonly string[] = []): { points: Point[]; bucket: number | null } {
  const { bucket, start } = timeBuckets(rows);
  const groups = new Map<string, TimeSeriesRow[]>();
  for (const row of rows) {
    const key = `${row.variant}\u0000${start(row.t)}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  const points: Point[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    points.push({
      variant: first.variant,
      t: sig(start(first.t), 6),
      throughputRps: sig(meanOf(group.map((r) => r.throughputRps)) ?? 0),
      errorRps: sig(meanOf(group.map((r) => r.errorRps)) ?? 0),
      p99Ms: sigOrNull(meanOf(group.map((r) => r.p99Ms))),
    });
  }
  const rank = (v: string) => {
    const i = variantOrder.indexOf(v);
    return i < 0 ? variantOrder.length : i;
  };
  points.sort((a, b) => rank(a.variant) - rank(b.variant) || (a.variant < b.variant ? -1 : a.variant > b.variant ? 1 : 0) || a.t - b.t);
  return { points, bucket: bucket === null ? null : sig(bucket) };
}

export function timeseries(output: RunOutput): TopLevelSpec {
  const { points, bucket } = meanWindows(output.tables.timeseries, variantNames(output));
  const p99s = points.flatMap((p) => (p.p99Ms === null ? [] : [p.p99Ms]));
  const log = wantsLogScale(p99s);
  const warmup = output.summary.warmup;
  const showWarmup = warmup > 0 && points.some((p) => p.t < warmup);
  const bands = faultBands(output);
  const x = { field: 't', type: 'quantitative' as const, title: 'simulated time (s)', scale: { nice: false, zero: false } };
  const panel = (field: keyof Point, title: string, bottom: boolean, scale: object = { zero: true }) => ({
    width: PLOT_WIDTH,
    height: PANEL_HEIGHT,
    layer: [
      ...(showWarmup
        ? [
            {
              data: { values: [{ from: 0, to: warmup, label: 'warm-up' }] },
              mark: { type: 'rect' as const, color: '#000', opacity: 0.06 },
              encoding: { x: { field: 'from', type: 'quantitative' as const }, x2: { field: 'to' } },
            },
          ]
        : []),
      // Fault labels at the foot of the throughput panel, whose lines run along its top.
      ...faultLayers(bands, field === 'throughputRps', { bottomOf: PANEL_HEIGHT }),
      {
        transform: [{ filter: `isValid(datum.${field})` }],
        mark: { type: 'line' as const, strokeWidth: 2, interpolate: 'linear' as const },
        encoding: {
          x: { ...x, axis: bottom ? { title: x.title, labelOverlap: true, labelSeparation: 8 } : { title: null, labels: false, ticks: false, domain: false } },
          y: { field, type: 'quantitative' as const, title, scale },
          color: variantColor(output),
        },
      },
    ],
  });
  const windowText = bucket === null ? '' : `, ${bucket} s windows`;
  const subtitle = [
    ...(showWarmup ? [`${bands.length > 0 ? 'grey' : 'shaded'}: warm-up (first ${warmup} s), excluded from the summary figures`] : []),
    ...(bands.length > 0 ? [`yellow: fault (${faultPhrase(bands)})`] : []),
  ];
  return {
    $schema: SCHEMA,
    title: {
      text: `Throughput, errors and p99 latency over time (${replicationPhrase(output, false)}${windowText})`,
      ...(subtitle.length > 0 ? { subtitle: subtitle.length === 1 ? subtitle[0] : subtitle } : {}),
    },
    data: { values: points },
    vconcat: [
      panel('throughputRps', 'throughput (requests/s)', false),
      // An all-zero series would get a degenerate [0, 0] domain and a "0.000000" label: give it room.
      panel('errorRps', 'errors (requests/s)', false, points.some((p) => p.errorRps > 0) ? { zero: true } : { domain: [0, 1] }),
      panel('p99Ms', 'p99 latency (ms)', true, log ? { type: 'log' } : { zero: true }),
    ],
    spacing: 12,
    resolve: { scale: { x: 'shared', color: 'shared' } },
    config,
  };
}
