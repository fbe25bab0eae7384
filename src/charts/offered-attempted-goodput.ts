// The retry story in one chart: per variant, the requests the callers offer, the tries sent after
// every retry layer, and the requests answered OK (goodput), per second over time, on the entry
// edges (the application's own requests), with the fault windows shaded. A metastable failure shows
// as attempts far above offered and goodput at zero long after the fault band has ended.
import type { TopLevelSpec } from 'vega-lite';
import type { RunOutput } from '../observe/types.ts';
import { edgeKey, entryEdges, hasFaults, hasRetries } from './edges.ts';
import { faultBands, faultPhrase, faultRowLayers } from './faults.ts';
import { sig, timeBuckets } from './numbers.ts';
import { config, ofKind, PLOT_WIDTH, replicationPhrase, SCHEMA } from './theme.ts';

/** The three series, their legend labels and colours (Okabe–Ito: distinct for colour-blind readers too). */
export const SERIES = [
  { key: 'offeredRps', label: 'offered', color: '#4d4d4d', dash: [5, 3] },
  { key: 'attemptedRps', label: 'attempted (with retries)', color: '#d55e00', dash: [1, 0] },
  { key: 'goodputRps', label: 'goodput (answered OK)', color: '#0072b2', dash: [1, 0] },
] as const;

type SeriesKey = (typeof SERIES)[number]['key'];

/** Goodput at or above this fraction of offered counts as recovered. */
export const RECOVERED = 0.9;
/** Buckets in a row that must stay recovered, so one lucky window does not count. */
const STAY = 3;

interface Bucket {
  t: number;
  offeredRps: number;
  attemptedRps: number;
  goodputRps: number;
}

/**
 * Per variant, the entry edges' rates summed per (replication, window), then averaged over
 * replications and over the windows of each bucket. Variants without entry-edge rows are absent.
 */
export function entrySeries(output: RunOutput): { series: Map<string, Bucket[]>; bucket: number | null } {
  const entry = new Map(output.summary.variants.map((v) => [v.name, new Set(entryEdges(v).map(edgeKey))]));
  const rows = output.tables.edgeTimeseries.filter((r) => entry.get(r.variant)?.has(edgeKey(r)));
  const { bucket, start } = timeBuckets(rows);
  const sums = new Map<string, Map<number, { n: Set<string>; offeredRps: number; attemptedRps: number; goodputRps: number }>>();
  for (const r of rows) {
    let byT = sums.get(r.variant);
    if (!byT) sums.set(r.variant, (byT = new Map()));
    const t = start(r.t);
    let s = byT.get(t);
    if (!s) byT.set(t, (s = { n: new Set(), offeredRps: 0, attemptedRps: 0, goodputRps: 0 }));
    // Several entry edges add up; the mean divides by the (replication, window) pairs in the bucket.
    s.n.add(`${r.replication}\u0000${r.t}`);
    s.offeredRps += r.offeredRps;
    s.attemptedRps += r.attemptedRps;
    s.goodputRps += r.goodputRps;
  }
  const series = new Map<string, Bucket[]>();
  for (const v of output.summary.variants) {
    const byT = sums.get(v.name);
    if (!byT) continue;
    const points = [...byT]
      .sort(([a], [b]) => a - b)
      .map(([t, s]) => ({
        t: sig(t, 6),
        offeredRps: sig(s.offeredRps / s.n.size),
        attemptedRps: sig(s.attemptedRps / s.n.size),
        goodputRps: sig(s.goodputRps / s.n.size),
      }));
    series.set(v.name, points);
  }
  return { series, bucket: bucket === null ? null : sig(bucket) };
}

/**
 * When goodput came back after the variant's last fault: the end of the first bucket from which it
 * stays at ≥ 90% of offered for STAY buckets, in seconds after the fault ended. "never fell" when it
 * did not drop below 90% at all after the fault started; null when it had not recovered by the end.
 */
export function recovery(points: readonly Bucket[], faultFrom: number, faultTo: number, bucket: number): number | 'never fell' | null {
  const ok = (p: Bucket) => p.offeredRps <= 0 || p.goodputRps >= RECOVERED * p.offeredRps;
  const during = points.filter((p) => p.t + bucket > faultFrom);
  if (during.every(ok)) return 'never fell';
  const after = points.filter((p) => p.t + bucket > faultTo);
  for (let i = 0; i < after.length; i++) {
    const run = after.slice(i, i + STAY);
    if (run.every(ok) && (run.length === STAY || i + run.length === after.length)) return Math.max(0, after[i]!.t + bucket - faultTo);
  }
  return null;
}

function recoveryNote(points: readonly Bucket[], faultFrom: number, faultTo: number, bucket: number, end: number): string {
  const r = recovery(points, faultFrom, faultTo, bucket);
  if (r === 'never fell') return `goodput stayed ≥ ${RECOVERED * 100}% of offered`;
  if (r !== null) return `recovered ${sig(r, 3)} s after the fault`;
  const tail = points.filter((p) => p.t >= end - 10 * bucket);
  const offered = tail.reduce((s, p) => s + p.offeredRps, 0);
  const good = tail.reduce((s, p) => s + p.goodputRps, 0);
  const pct = offered > 0 ? Math.round((100 * good) / offered) : 0;
  return `not recovered by the end: goodput ${pct}% of offered`;
}

export function offeredAttemptedGoodput(output: RunOutput): TopLevelSpec | undefined {
  if (!hasFaults(output) && !hasRetries(output)) return undefined;
  const { series, bucket } = entrySeries(output);
  if (series.size === 0) return undefined;
  const step = bucket ?? 1;
  const variants = output.summary.variants.filter((v) => series.has(v.name));
  const values: object[] = [];
  // Each panel's header: the variant, and when goodput came back after the fault.
  const headers: Record<string, string> = {};
  let t0 = Number.POSITIVE_INFINITY;
  let t1 = Number.NEGATIVE_INFINITY;
  let top = 0;
  for (const v of variants) {
    const points = series.get(v.name)!;
    // Drawn bottom to top: attempted, goodput, then the dashed offered line, which lets both show through.
    // Where there are no retries attempted hides under goodput; orange shows only where tries exceed it.
    for (const s of [SERIES[1], SERIES[2], SERIES[0]]) {
      for (const p of points) {
        t0 = Math.min(t0, p.t);
        t1 = Math.max(t1, p.t + step);
        top = Math.max(top, p[s.key as SeriesKey]);
        values.push({ kind: 'rate', variant: v.name, t: p.t, series: s.label, rps: p[s.key as SeriesKey] });
      }
    }
  }
  // A band's label is printed in the first panel that has the band; later panels just shade it.
  const labelled = new Set<string>();
  for (const v of variants) {
    const bands = faultBands(output, [v.name]);
    for (const b of bands) {
      const key = `${b.from}\u0000${b.to}\u0000${b.label}`;
      values.push({ kind: 'fault', variant: v.name, ...b, ...(labelled.has(key) ? {} : { text: b.label }) });
      labelled.add(key);
    }
    const last = bands.reduce<{ from: number; to: number } | undefined>((m, b) => (m === undefined || b.to > m.to ? b : m), undefined);
    if (last && last.to < t1 - 1e-9) {
      headers[v.name] = `${v.name} · ${recoveryNote(series.get(v.name)!, last.from, last.to, step, t1)}`;
    }
  }
  const faults = values.some((r) => (r as { kind: string }).kind === 'fault');
  const notes = Object.keys(headers).length > 0;
  const allBands = faultBands(output);
  const warmup = output.summary.warmup;
  const showWarmup = warmup > 0 && t0 < warmup;
  if (showWarmup) for (const v of variants) values.push({ kind: 'warmup', variant: v.name, from: t0, to: warmup });
  const entryNames = [...new Set(variants.flatMap((v) => entryEdges(v).map((e) => `${e.from} → ${e.to}`)))].join(', ');
  const x = { type: 'quantitative' as const, scale: { domain: [t0, t1], nice: false, zero: false } };
  const windowText = bucket === null ? '' : `, ${bucket} s windows`;
  const n = variants.length;
  const legend = { orient: 'top' as const, direction: 'horizontal' as const, symbolStrokeWidth: 3, labelFontSize: 13 };
  return {
    $schema: SCHEMA,
    title: {
      text: `Offered, attempted and goodput requests/s over time, by variant (${replicationPhrase(output, false)}${windowText})`,
      subtitle: [
        `the application's requests (${entryNames}): offered by the callers, tries sent after every retry layer, answered OK`,
        [
          ...(faults ? [`yellow: fault (${faultPhrase(allBands)})`] : []),
          ...(showWarmup ? [`grey: warm-up (first ${warmup} s)`] : []),
          ...(notes ? [`recovered: goodput back to ≥ ${RECOVERED * 100}% of offered for ${STAY} windows running`] : []),
        ].join('; '),
      ].filter((line) => line !== ''),
    },
    data: { values },
    facet: {
      row: {
        field: 'variant',
        type: 'nominal',
        sort: variants.map((v) => v.name),
        title: null,
        header: {
          labelAngle: 0,
          labelOrient: 'top',
          labelAnchor: 'start',
          labelPadding: 6,
          // The header names the variant and says whether and when it recovered (a lookup by variant name).
          ...(notes ? { labelExpr: `${JSON.stringify(headers)}[datum.value] || datum.value` } : {}),
        },
      },
    },
    spacing: 14,
    spec: {
      width: PLOT_WIDTH,
      height: Math.round(Math.min(160, Math.max(110, 560 / n))),
      layer: [
        ...(showWarmup
          ? [
              {
                transform: ofKind('warmup'),
                mark: { type: 'rect' as const, color: '#000', opacity: 0.06 },
                encoding: { x: { ...x, field: 'from' }, x2: { field: 'to' } },
              },
            ]
          : []),
        ...(faults ? faultRowLayers(x) : []),
        {
          transform: ofKind('rate'),
          mark: { type: 'line' as const, strokeWidth: 2, interpolate: 'linear' as const },
          encoding: {
            x: { ...x, field: 't', title: 'simulated time (s)', axis: { labelOverlap: true, labelSeparation: 8 } },
            // Headroom above the highest line keeps the fault labels at the top clear of it.
            y: { field: 'rps', type: 'quantitative' as const, title: 'requests/s', scale: { domain: [0, sig(Math.max(top, 1) * 1.25, 2)], nice: false } },
            color: {
              field: 'series',
              type: 'nominal' as const,
              title: null,
              sort: SERIES.map((s) => s.label),
              scale: { domain: SERIES.map((s) => s.label), range: SERIES.map((s) => s.color) },
              legend,
            },
            // The same field, title and legend as the colour: one legend whose symbols show both.
            strokeDash: {
              field: 'series',
              type: 'nominal' as const,
              title: null,
              sort: SERIES.map((s) => s.label),
              scale: { domain: SERIES.map((s) => s.label), range: SERIES.map((s) => [...s.dash]) },
              legend,
            },
            tooltip: [{ field: 'variant' }, { field: 'series' }, { field: 't', title: 'window start (s)' }, { field: 'rps', title: 'requests/s' }],
          },
        },
      ],
    },
    resolve: { scale: { y: 'shared' } },
    config,
  };
}
