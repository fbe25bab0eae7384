// Pod-level data shared by the per-pod charts: labels and display order, the fair share of every
// pod given which pods were live in each window, and the per-pod time series binned for heatmaps.
import type { PodRow, PodTimeSeriesRow, RunOutput } from '../observe/types.ts';
import { sig, windowSeconds } from './numbers.ts';

export const podLabel = (pod: { service: string; pod: number }): string => `${pod.service}/${pod.pod}`;

/** Services in order of first appearance (summary pods first, then the tables), each with its pod indices. */
function servicePods(output: RunOutput): Map<string, Set<number>> {
  const services = new Map<string, Set<number>>();
  const add = (p: { service: string; pod: number }) => {
    let pods = services.get(p.service);
    if (!pods) services.set(p.service, (pods = new Set()));
    pods.add(p.pod);
  };
  for (const variant of output.summary.variants) for (const p of variant.pods) add(p);
  for (const p of output.tables.pods) add(p);
  for (const p of output.tables.podTimeseries) add(p);
  return services;
}

/** Pod labels in display order: services in order of first appearance, pods by index. */
export function podOrder(output: RunOutput): string[] {
  return [...servicePods(output)].flatMap(([service, pods]) => [...pods].sort((a, b) => a - b).map((pod) => podLabel({ service, pod })));
}

/** Service names in order of first appearance. */
export function serviceOrder(output: RunOutput): string[] {
  return [...servicePods(output).keys()];
}

/** Groups items by a key, keeping the order of first appearance (Map.groupBy needs Node 21). */
export function groupBy<T>(items: Iterable<T>, key: (item: T) => string | number): Map<string | number, T[]> {
  const groups = new Map<string | number, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** The pod rows of each variant, by variant name. */
export function podRowsByVariant(output: RunOutput): Map<string, PodRow[]> {
  return groupBy(output.tables.pods, (r) => r.variant) as Map<string, PodRow[]>;
}

const K = '\u0000';

/**
 * Each pod's fair share of its service's requests in one replication: in every measured window the
 * service's requests split evenly over the pods live in that window, summed over the windows and
 * divided by all the service's requests. With a fixed set of pods that is 1 / pods; a pod added at a
 * scale event is owed nothing for the time before it existed. Undefined when the time series says
 * nothing about that service in that replication (then 1 / pods is the fallback).
 */
export function fairShares(output: RunOutput): (variant: string, replication: number, service: string, pod: number) => number | undefined {
  const { warmup, duration } = output.summary;
  const windows = new Map<string, { requests: number; pods: number[] }>();
  for (const r of output.tables.podTimeseries) {
    if (r.t < warmup - 1e-9 || r.t >= duration - 1e-9) continue;
    const key = [r.variant, r.replication, r.service, r.t].join(K);
    const w = windows.get(key);
    if (w) {
      w.requests += r.requests;
      w.pods.push(r.pod);
    } else windows.set(key, { requests: r.requests, pods: [r.pod] });
  }
  const owed = new Map<string, number>();
  const totals = new Map<string, number>();
  for (const [key, w] of windows) {
    const service = key.slice(0, key.lastIndexOf(K));
    totals.set(service, (totals.get(service) ?? 0) + w.requests);
    for (const pod of w.pods) owed.set(service + K + pod, (owed.get(service + K + pod) ?? 0) + w.requests / w.pods.length);
  }
  return (variant, replication, service, pod) => {
    const key = [variant, replication, service].join(K);
    const total = totals.get(key);
    if (!total) return undefined;
    return (owed.get(key + K + pod) ?? 0) / total;
  };
}

/** At most this many time columns per heatmap: longer runs average neighbouring windows together. */
export const MAX_COLUMNS = 120;

export interface HeatCell {
  variant: string;
  pod: string;
  /** Column start and end, seconds. */
  t: number;
  t2: number;
  value: number;
}

export interface Heatmap {
  cells: HeatCell[];
  /** The pods' sampling window and the column width (a whole number of windows), seconds. */
  window: number;
  bin: number;
  /** The time axis extent, seconds. */
  from: number;
  to: number;
}

/**
 * The mean of `field` per (variant, pod, column) over replications and over the windows a column
 * holds; a pod gets no cell for a column in which it was never live (it did not exist yet, or any more).
 */
export function podHeatmap(output: RunOutput, field: 'utilization' | 'connections'): Heatmap | undefined {
  const rows: readonly PodTimeSeriesRow[] = output.tables.podTimeseries;
  if (rows.length === 0) return undefined;
  const window = windowSeconds(rows) ?? Math.max(output.summary.duration, 1);
  let t0 = Number.POSITIVE_INFINITY;
  let t1 = Number.NEGATIVE_INFINITY;
  for (const r of rows) {
    t0 = Math.min(t0, r.t);
    t1 = Math.max(t1, r.t);
  }
  const count = Math.round((t1 - t0) / window) + 1;
  const bin = window * Math.ceil(count / MAX_COLUMNS);
  const column = (t: number) => Math.floor((t - t0) / bin + 1e-9);
  const sums = new Map<string, { variant: string; pod: string; column: number; sum: number; n: number }>();
  for (const r of rows) {
    const pod = podLabel(r);
    const c = column(r.t);
    const key = r.variant + K + pod + K + c;
    const cell = sums.get(key);
    if (cell) {
      cell.sum += r[field];
      cell.n += 1;
    } else sums.set(key, { variant: r.variant, pod, column: c, sum: r[field], n: 1 });
  }
  const cells = [...sums.values()].map((c) => ({
    variant: c.variant,
    pod: c.pod,
    t: sig(t0 + c.column * bin, 6),
    t2: sig(t0 + (c.column + 1) * bin, 6),
    value: sig(c.sum / c.n, 3),
  }));
  return { cells, window: sig(window), bin: sig(bin), from: t0, to: sig(t0 + (column(t1) + 1) * bin, 6) };
}
