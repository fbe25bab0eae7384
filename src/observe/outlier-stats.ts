// What outlier detection did in one run, from the World's log: per pod the ejections it suffered (summed over the
// client sidecars that ejected it), per edge the detections, enforced ejections and cap overflows, per pod and window
// the share of sidecars that had it ejected, and the ejection intervals behind the timeline chart.
import type { Measure } from '../model/measure.ts';
import { type DetectorTotals, detectorTotals, type EjectionRecord, type OutlierLog } from '../model/sidecar/outlier.ts';
import type { World } from '../model/world.ts';
import type { EjectionResult, PanicResult, PodWindowResult } from './run-result.ts';

/** Per caller→callee pair: detections, enforced ejections and overflows in the measured interval. */
function edgeOutlier(log: OutlierLog): Map<string, DetectorTotals> {
  const by = new Map<string, DetectorTotals>();
  log.clusters.forEach((c) => {
    const key = `${c.from}>${c.to}`;
    const before = c.atWarmup;
    const after = detectorTotals(c.detector);
    const row = by.get(key) ?? { detected: 0, enforced: 0, overflow: 0 };
    row.detected += after.detected - before.detected;
    row.enforced += after.enforced - before.enforced;
    row.overflow += after.overflow - before.overflow;
    by.set(key, row);
  });
  return by;
}

/** Seconds of a stretch (an ejection, a panic) inside [from, to). */
const overlap = (span: { start: number; end: number }, from: number, to: number) => Math.max(0, Math.min(span.end, to) - Math.max(span.start, from));

export interface PodEjections {
  /** Ejections that started in the measured interval. */
  ejections: number;
  /** Ejected time inside the measured interval, summed over sidecars. */
  ejectedSeconds: number;
  /** The longest single ejection overlapping the measured interval (its full length, up to the run's end). */
  longestEjectionSeconds: number;
}

/** Per pod (`service/index`): its ejections in the measured interval. */
export function podEjections(log: OutlierLog, measure: Measure, end: number): Map<string, PodEjections> {
  const by = new Map<string, PodEjections>();
  for (const e of log.ejections) {
    const key = e.pod.name;
    const row = by.get(key) ?? { ejections: 0, ejectedSeconds: 0, longestEjectionSeconds: 0 };
    if (e.start >= measure.from && e.start < measure.to) row.ejections++;
    const inside = overlap(e, measure.from, measure.to);
    row.ejectedSeconds += inside;
    if (inside > 0) row.longestEjectionSeconds = Math.max(row.longestEjectionSeconds, Math.min(e.end, end) - e.start);
    by.set(key, row);
  }
  return by;
}

/**
 * Sets `ejected` on every pod window: the mean fraction of the sidecar clusters that could eject it (those toward its
 * service, or toward its subset) that had it ejected. `subsetOf` names a pod's subset (`payments/6` → `v2`).
 */
export function markEjected(log: OutlierLog, windows: PodWindowResult[], width: number, subsetOf: (pod: string) => string | undefined = () => undefined): void {
  const clusters = new Map<string, number>();
  const key = (service: string, subset: string | undefined) => (subset === undefined ? service : `${service}@${subset}`);
  for (const c of log.clusters) clusters.set(key(c.to, c.subset), (clusters.get(key(c.to, c.subset)) ?? 0) + 1);
  const byPod = new Map<string, EjectionRecord[]>();
  for (const e of log.ejections) {
    const list = byPod.get(e.pod.name);
    if (list) list.push(e);
    else byPod.set(e.pod.name, [e]);
  }
  for (const w of windows) {
    const n = clusters.get(w.service) ?? clusters.get(key(w.service, subsetOf(`${w.service}/${w.pod}`)));
    if (n === undefined) continue;
    const time = (byPod.get(`${w.service}/${w.pod}`) ?? []).reduce((s, e) => s + overlap(e, w.t, w.t + width), 0);
    w.ejected = time / (width * n);
  }
}

/** Every ejection of the run (open ones end at `end`), for the timeline chart and data/ejections.csv. */
export function ejectionRows(world: World, end: number): EjectionResult[] {
  const interval = new Map(world.outlier.clusters.map((c) => [c.to, c.interval]));
  return world.outlier.ejections.map((e) => ({
    from: e.from,
    cluster: e.cluster,
    service: e.pod.service,
    pod: e.pod.index,
    kind: e.kind,
    start: e.start,
    end: Math.min(e.end, end),
    interval: interval.get(e.to) ?? 0,
  }));
}

/** Every panic of a sidecar cluster's balancer (open ones end at `end`), for the timeline chart and data/panics.csv. */
export function panicRows(world: World, end: number): PanicResult[] {
  return world.outlier.panics.map((p) => ({ from: p.from, cluster: p.cluster, service: p.to, start: p.start, end: Math.min(p.end, end) }));
}

/** Per caller→callee pair: seconds its sidecars' balancers spent in panic inside the measured interval, summed. */
function edgePanicSeconds(log: OutlierLog, measure: Measure): Map<string, number> {
  const by = new Map<string, number>();
  for (const p of log.panics) {
    const key = `${p.from}>${p.to}`;
    by.set(key, (by.get(key) ?? 0) + overlap(p, measure.from, measure.to));
  }
  return by;
}

/**
 * An edge's outlier fields when its callee has outlier detection (a handler edge and an entry edge between the same
 * services share them): detections, enforced ejections, cap overflows and seconds in panic; nothing otherwise.
 */
export function edgeOutlierCounts(log: OutlierLog | undefined, measure: Measure): (from: string, to: string) => object {
  if (!log) return () => ({});
  const counts = edgeOutlier(log);
  const panics = edgePanicSeconds(log, measure);
  return (from, to) => {
    const key = `${from}>${to}`;
    const t = counts.get(key);
    if (!t) return {};
    return { ejectionsDetected: t.detected, ejectionsEnforced: t.enforced, ejectionsOverflow: t.overflow, panicSeconds: panics.get(key) ?? 0 };
  };
}
