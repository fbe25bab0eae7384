// Collects one run's observations: latency and queue-wait histograms and status counts for the
// application's requests that count (workload calls), per-edge counters for every call, and
// fixed-width time-series windows (by completion time) for every request.

import type { FlowLog } from '../model/flow/log.ts';
import type { Pod } from '../model/pod/pod.ts';
import type { Probe, SubsetTally } from '../model/probe.ts';
import type { Rpc } from '../model/rpc.ts';
import { type Outcome, Status, statusName } from '../model/status.ts';
import { allPods, type World } from '../model/world.ts';
import { countFlow, EdgeCounters, type EdgeWindowResult } from './edge-stats.ts';
import { LatencyHistogram } from './histogram.ts';
import { IdentityCollector } from './identity-collector.ts';
import { edgeOutlierCounts, ejectionRows, markEjected, panicRows, podEjections } from './outlier-stats.ts';
import type { GaugeWindowResult, PodWindowResult, RunResult, SubsetResult, WindowResult } from './run-result.ts';

export class RunCollector implements Probe, FlowLog {
  private readonly latency = new LatencyHistogram();
  private readonly wait = new LatencyHistogram();
  private readonly statuses = new Float64Array(17);
  private readonly windowLatency = new LatencyHistogram();
  private readonly windows: WindowResult[] = [];
  private windowEnd: number;
  private windowDone = 0;
  private windowErrors = 0;
  private readonly width: number;
  private readonly horizon: number;
  private readonly podWindows: PodWindowResult[] = [];
  private readonly edgeWindows: EdgeWindowResult[] = [];
  private readonly gaugeWindows: GaugeWindowResult[] = [];
  private edges: EdgeCounters[] = [];
  /** Counted requests routed to each subset, by `service\u0000subset`. */
  private readonly routedCounts = new Map<string, SubsetTally>();
  private world: World | undefined;
  /** Hears the identity plane (handed to the model when it is built). */
  readonly identity: IdentityCollector;

  /** Windows of `width` seconds cover [0, horizon). */
  constructor(width: number, horizon: number) {
    this.width = width;
    this.horizon = horizon;
    this.windowEnd = width;
    this.identity = new IdentityCollector(width, horizon);
  }

  private edge(rpc: Rpc): EdgeCounters {
    let e = this.edges[rpc.edge];
    if (!e) this.edges[rpc.edge] = e = new EdgeCounters();
    return e;
  }

  private entry(rpc: Rpc): boolean {
    return this.world?.edges[rpc.edge]?.entry ?? true;
  }

  requestIssued(rpc: Rpc, now: number): void {
    if (now >= this.windowEnd) this.closeWindowsUntil(now);
    this.edge(rpc).windowOffered++;
  }

  requestDone(rpc: Rpc, outcome: Outcome, now: number): void {
    const latency = now - rpc.start;
    const edge = this.edge(rpc);
    const entry = this.entry(rpc);
    if (rpc.counted) {
      edge.requests++;
      const name = statusName(outcome.status);
      edge.statuses[name] = (edge.statuses[name] ?? 0) + 1;
      if (outcome.flag) edge.flags[outcome.flag] = (edge.flags[outcome.flag] ?? 0) + 1;
      if (outcome.status === Status.OK) edge.ok++;
      if (entry) {
        this.latency.record(latency);
        this.statuses[outcome.status] = (this.statuses[outcome.status] as number) + 1;
      }
    }
    if (now >= this.windowEnd) this.closeWindowsUntil(now);
    if (outcome.status === Status.OK) edge.windowGoodput++;
    if (entry && now < this.horizon) {
      this.windowDone++;
      if (outcome.status !== Status.OK) this.windowErrors++;
      this.windowLatency.record(latency);
    }
  }

  flow(edgeIndex: number, from: number, to: number, requests: number, failed: number, attempts: number, flag: 'UF' | 'UH'): void {
    if (!(to > from) || requests <= 0) return;
    if (from >= this.windowEnd) this.closeWindowsUntil(from);
    const e = this.edges[edgeIndex] as EdgeCounters;
    e.windowOffered += requests;
    e.windowAttempted += attempts;
    e.windowGoodput += requests - failed;
    const entry = this.world?.edges[edgeIndex]?.entry ?? true;
    if (entry && from < this.horizon) {
      this.windowDone += requests;
      this.windowErrors += failed;
    }
    const m = this.world?.measure; // the share inside the measured interval counts toward the totals
    const counted = m ? Math.max(0, Math.min(to, m.to) - Math.max(from, m.from)) / (to - from) : 1;
    if (counted > 0) countFlow(e, entry ? this.statuses : undefined, requests * counted, failed * counted, attempts * counted, flag);
  }

  attempt(rpc: Rpc, now: number): void {
    if (now >= this.windowEnd) this.closeWindowsUntil(now);
    const e = this.edge(rpc);
    e.windowAttempted++;
    if (rpc.counted) e.attempts++;
  }

  retry(rpc: Rpc): void {
    if (rpc.counted) this.edge(rpc).retries++;
  }

  retryRejected(rpc: Rpc): void {
    if (rpc.counted) this.edge(rpc).retriesRejected++;
  }

  overflow(rpc: Rpc): void {
    if (rpc.counted) this.edge(rpc).overflows++;
  }

  subsetTally(to: string, subset: string): SubsetTally {
    const key = `${to}\u0000${subset}`;
    let tally = this.routedCounts.get(key);
    if (!tally) this.routedCounts.set(key, (tally = { requests: 0, ok: 0 }));
    return tally;
  }

  /** Per subset of every service that has subsets: routed counts where a proxy routes to them, else the pods'. */
  private subsetResults(world: World): SubsetResult[] {
    const out: SubsetResult[] = [];
    for (const [service, set] of world.services) {
      const byRoute = world.routed.has(service);
      const rows = new Map<string, SubsetResult>();
      for (const pod of set.all) {
        if (pod.subset === undefined) continue;
        let row = rows.get(pod.subset);
        if (!row) {
          const routed = this.routedCounts.get(`${service}\u0000${pod.subset}`);
          row = { service, subset: pod.subset, countedAt: byRoute ? 'route' : 'pods', requests: routed?.requests ?? 0, ok: routed?.ok ?? 0 };
          rows.set(pod.subset, row);
          out.push(row);
        }
        if (!byRoute) {
          row.requests += pod.requests;
          row.ok += pod.ok;
        }
      }
    }
    return out;
  }

  /** Samples every pod at each window boundary: requests, utilization and open connections in the window. */
  attach(world: World): void {
    // Flow level: the latency of a request on an unloaded path, from samples the model drew.
    for (const x of world.flows?.latencySamples ?? []) this.latency.record(x);
    this.world = world;
    this.edges = world.edges.map(() => new EdgeCounters());
    const last = new Map<Pod, { arrivals: number; busy: number }>();
    const sample = () => {
      const t = world.sim.now - this.width;
      const gauges = new Map<string, GaugeWindowResult>();
      for (const g of world.gauges) {
        const key = `${g.to}|${g.kind}`;
        const row = gauges.get(key) ?? { t: world.sim.now, to: g.to, kind: g.kind, value: 0 };
        row.value += g.read(world.sim.now);
        gauges.set(key, row);
      }
      this.gaugeWindows.push(...gauges.values());
      for (const pod of world.flows ? [] : allPods(world) /* flow level: no per-pod series */) {
        const prev = last.get(pod) ?? { arrivals: 0, busy: 0 };
        const now = { arrivals: pod.arrivals, busy: pod.busy.totalArea() };
        last.set(pod, now);
        if (!pod.live && now.arrivals === prev.arrivals && pod.connections.size === 0) continue;
        this.podWindows.push({
          t,
          service: pod.service,
          pod: pod.index,
          requests: now.arrivals - prev.arrivals,
          utilization: (now.busy - prev.busy) / (pod.workers * this.width),
          connections: pod.connections.size,
        });
      }
      if (world.sim.now + this.width > this.horizon + 1e-9) periodic.cancel();
    };
    const periodic = world.sim.every(this.width, sample);
  }

  queueWait(_pod: Pod, rpc: Rpc, wait: number): void {
    if (rpc.counted) this.wait.record(wait);
  }

  private closeWindowsUntil(now: number): void {
    while (this.windowEnd <= now && this.windowEnd - this.width < this.horizon) {
      const w = this.windowLatency;
      const has = w.count > 0;
      this.windows.push({
        t: this.windowEnd - this.width,
        throughputRps: this.windowDone / this.width,
        errorRps: this.windowErrors / this.width,
        p50Ms: has ? w.percentileMs(50) : null,
        p90Ms: has ? w.percentileMs(90) : null,
        p99Ms: has ? w.percentileMs(99) : null,
      });
      w.reset();
      this.windowDone = 0;
      this.windowErrors = 0;
      const t = this.windowEnd - this.width;
      this.world?.edges.forEach((edge, i) => {
        const e = this.edges[i] as EdgeCounters;
        this.edgeWindows.push({
          t,
          from: edge.from,
          to: edge.to,
          offeredRps: e.windowOffered / this.width,
          attemptedRps: e.windowAttempted / this.width,
          goodputRps: e.windowGoodput / this.width,
        });
        e.windowOffered = e.windowAttempted = e.windowGoodput = 0;
      });
      this.windowEnd = this.width * (this.windows.length + 1);
    }
  }

  /** The run's result, read once the simulation has finished. */
  result(world: World, variant: string, replication: number, seed: number): RunResult {
    this.closeWindowsUntil(Math.max(world.sim.now, this.horizon));
    const statusCounts: Record<string, number> = {};
    let requests = 0;
    this.statuses.forEach((n, s) => {
      if (n > 0) statusCounts[statusName(s as Status)] = n;
      requests += n;
    });
    const od = world.outlier.clusters.length > 0;
    const ejected = od ? podEjections(world.outlier, world.measure, world.measure.to) : undefined;
    const pods = allPods(world).map((p) => ({
      service: p.service,
      pod: p.index,
      ...(p.subset === undefined ? {} : { subset: p.subset }),
      requests: p.requests,
      utilization: p.utilization(),
      connections: p.meanConnections(),
      ready: p.health.readyTime.measuredArea(),
      ...(ejected ? (ejected.get(p.name) ?? { ejections: 0, ejectedSeconds: 0, longestEjectionSeconds: 0 }) : {}),
    }));
    if (od) {
      const subsets = new Map(allPods(world).map((p) => [p.name, p.subset]));
      markEjected(world.outlier, this.podWindows, this.width, (pod) => subsets.get(pod));
    }
    const outlierCounts = edgeOutlierCounts(od ? world.outlier : undefined, world.measure);
    const l = this.latency;
    const identity = world.identity ? this.identity.result(world.controlPlane.reconnects, world.identity.config.handshakeCpu) : undefined;
    return {
      variant,
      replication,
      seed,
      events: world.sim.events,
      measured: world.measure.to - world.measure.from,
      requests,
      statusCounts,
      latencyMs: { mean: l.meanMs(), p50: l.percentileMs(50), p90: l.percentileMs(90), p99: l.percentileMs(99), p999: l.percentileMs(99.9) },
      queueWaitMs: { mean: this.wait.meanMs(), p99: this.wait.percentileMs(99) },
      pods,
      timeseries: this.windows,
      podTimeseries: this.podWindows,
      connectionsOpened: world.stats.connectionsOpened,
      proxyCpuSeconds: world.edges.reduce((sum, e) => sum + (this.edges[e.index]?.attempts ?? 0) * e.proxyCpuPerRequest, 0),
      edges: world.edges.map((edge, i) => {
        const e = this.edges[i] as EdgeCounters;
        return {
          from: edge.from,
          to: edge.to,
          entry: edge.entry,
          requests: e.requests,
          ok: e.ok,
          attempts: e.attempts,
          retries: e.retries,
          retriesRejected: e.retriesRejected,
          overflows: e.overflows,
          statusCounts: { ...e.statuses },
          flagCounts: { ...e.flags },
          ...outlierCounts(edge.from, edge.to),
        };
      }),
      edgeTimeseries: this.edgeWindows,
      gaugeTimeseries: this.gaugeWindows,
      proxyMemoryMb: world.stats.proxyMemoryMb,
      ejections: od ? ejectionRows(world, world.measure.to) : [],
      panics: od ? panicRows(world, world.measure.to) : [],
      subsets: this.subsetResults(world),
      ...(identity ? { identity } : {}),
      ...(world.flows ? { mode: 'flows' as const } : {}),
    };
  }
}
