// Share of a service's requests per pod over time, one panel per variant: which pods the balancers fed
// while a fault (or a scale event) was on. Round robin holds a slow pod at exactly 1/n; a latency-aware
// balancer (Linkerd's peak EWMA) takes its share away and gives it back once it recovers.
import type { TopLevelSpec } from 'vega-lite';
import type { PodTimeSeriesRow, RunOutput } from '../observe/types.ts';
import { hasFaults } from './edges.ts';
import { faultBands, faultLayers, faultPhrase } from './faults.ts';
import { sig, timeBuckets } from './numbers.ts';
import { podLabel, serviceOrder } from './pod-data.ts';
import { config, PLOT_WIDTH, replicationPhrase, rowHeader, SCHEMA, variantNames } from './theme.ts';

/** More pods than this make a tangle of lines: the utilization heatmap shows them better. */
export const MAX_PODS = 12;

interface Point {
  variant: string;
  pod: string;
  t: number;
  /** Mean over replications of the pod's share of the service's requests in the window, %. */
  sharePct: number;
}

const K = '\u0000';

/** Pods of `service` seen in the per-pod series. */
function podsOf(rows: readonly PodTimeSeriesRow[], service: string): number[] {
  return [...new Set(rows.filter((r) => r.service === service).map((r) => r.pod))].sort((a, b) => a - b);
}

/** Whether the set of live pods of some service changed between windows of a run (a scale event or a crash). */
function podsChange(rows: readonly PodTimeSeriesRow[]): boolean {
  const counts = new Map<string, Map<number, number>>();
  for (const r of rows) {
    const run = r.variant + K + r.replication + K + r.service;
    let byT = counts.get(run);
    if (!byT) counts.set(run, (byT = new Map()));
    byT.set(r.t, (byT.get(r.t) ?? 0) + 1);
  }
  return [...counts.values()].some((byT) => new Set(byT.values()).size > 1);
}

/** The service to show: the first one a fault targets that has 2…MAX_PODS pods, else the first such service. */
export function shareService(output: RunOutput): string | undefined {
  const rows = output.tables.podTimeseries;
  const fits = (s: string) => {
    const n = podsOf(rows, s).length;
    return n >= 2 && n <= MAX_PODS;
  };
  const targeted = output.summary.variants.flatMap((v) => (v.faults ?? []).map((f) => f.target.split('/')[0]!));
  return targeted.find(fits) ?? serviceOrder(output).find(fits);
}

/** Per (variant, pod, time bucket): the pod's share of the service's requests, averaged over replications. */
export function podSharePoints(output: RunOutput, service: string): { points: Point[]; bucket: number | null } {
  const rows = output.tables.podTimeseries.filter((r) => r.service === service);
  const { bucket, start } = timeBuckets(rows);
  const totals = new Map<string, number>();
  const perPod = new Map<string, number>();
  for (const r of rows) {
    const run = r.variant + K + r.replication + K + start(r.t);
    totals.set(run, (totals.get(run) ?? 0) + r.requests);
    perPod.set(run + K + r.pod, (perPod.get(run + K + r.pod) ?? 0) + r.requests);
  }
  const sums = new Map<string, { variant: string; pod: number; t: number; sum: number; n: number }>();
  for (const [key, requests] of perPod) {
    const [variant, replication, t, pod] = key.split(K) as [string, string, string, string];
    const total = totals.get(variant + K + replication + K + t)!;
    if (total === 0) continue;
    const cell = variant + K + pod + K + t;
    const s = sums.get(cell) ?? { variant, pod: Number(pod), t: Number(t), sum: 0, n: 0 };
    s.sum += requests / total;
    s.n += 1;
    sums.set(cell, s);
  }
  const order = new Map(variantNames(output).map((v, i) => [v, i]));
  const points = [...sums.values()]
    .sort((a, b) => (order.get(a.variant) ?? 0) - (order.get(b.variant) ?? 0) || a.pod - b.pod || a.t - b.t)
    .map((s) => ({ variant: s.variant, pod: podLabel({ service, pod: s.pod }), t: sig(s.t, 6), sharePct: sig((100 * s.sum) / s.n) }));
  return { points, bucket: bucket === null ? null : sig(bucket) };
}

export function podShareOverTime(output: RunOutput): TopLevelSpec | undefined {
  const rows = output.tables.podTimeseries;
  if (rows.length === 0 || !(hasFaults(output) || podsChange(rows))) return undefined;
  const service = shareService(output);
  if (service === undefined) return undefined;
  const { points, bucket } = podSharePoints(output, service);
  if (points.length === 0) return undefined;
  const pods = podsOf(rows, service).map((pod) => podLabel({ service, pod }));
  const targets = new Set(output.summary.variants.flatMap((v) => (v.faults ?? []).map((f) => f.target)));
  const bands = faultBands(output);
  const t0 = Math.min(...points.map((p) => p.t));
  const t1 = Math.max(...points.map((p) => p.t)) + (bucket ?? 0);
  const even = sig(100 / pods.length);
  const top = Math.max(even * 2, ...points.map((p) => p.sharePct));
  const windowText = bucket === null ? '' : `, ${bucket} s windows`;
  return {
    $schema: SCHEMA,
    title: {
      text: `Share of ${service} requests per pod over time (${replicationPhrase(output, false)}${windowText})`,
      subtitle: [
        `each pod's requests over all ${service} requests in the window; dashed: an even share (${even}%)`,
        [...(bands.length > 0 ? [`yellow: fault (${faultPhrase(bands)})`] : []), ...(targets.size > 0 ? ['thick line: a pod a fault targets'] : [])].join('; '),
      ].filter((line) => line !== ''),
    },
    data: { values: points },
    facet: { row: { field: 'variant', type: 'nominal', sort: variantNames(output), title: null, header: rowHeader } },
    spacing: 16,
    spec: {
      width: PLOT_WIDTH,
      height: 150,
      layer: [
        ...faultLayers(bands, false),
        {
          mark: { type: 'rule', strokeDash: [5, 4], color: '#777', strokeWidth: 1 },
          encoding: { y: { datum: even } },
        },
        {
          mark: { type: 'line', interpolate: 'linear' },
          encoding: {
            x: {
              field: 't',
              type: 'quantitative',
              title: 'simulated time (s)',
              scale: { domain: [t0, t1], nice: false, zero: false },
              axis: { labelOverlap: true, labelSeparation: 8 },
            },
            y: { field: 'sharePct', type: 'quantitative', title: 'share of requests (%)', scale: { domain: [0, sig(top * 1.05, 2)], nice: false } },
            color: {
              field: 'pod',
              type: 'nominal',
              title: 'pod',
              sort: pods,
              scale: { domain: pods, scheme: pods.length > 10 ? 'tableau20' : 'tableau10' },
              legend: { orient: 'right' },
            },
            strokeWidth: { condition: { test: `indexof(${JSON.stringify([...targets])}, datum.pod) >= 0`, value: 3.5 }, value: 1.5 },
            tooltip: [{ field: 'variant' }, { field: 'pod' }, { field: 't', title: 'window start (s)' }, { field: 'sharePct', title: 'share (%)' }],
          },
        },
      ],
    },
    config,
  };
}
