// Collects one run's observations: latency and queue-wait histograms and status counts for the
// requests that count, and fixed-width time-series windows (by completion time) for every request.
import type { Pod } from '../model/pod/pod.ts';
import type { Probe } from '../model/probe.ts';
import type { Rpc } from '../model/rpc.ts';
import { type Outcome, Status, statusName } from '../model/status.ts';
import { allPods, type World } from '../model/world.ts';
import { LatencyHistogram } from './histogram.ts';
import type { PodWindowResult, RunResult, WindowResult } from './run-result.ts';

export class RunCollector implements Probe {
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
  private readonly perEdge: number[] = [];

  /** Windows of `width` seconds cover [0, horizon). */
  constructor(width: number, horizon: number) {
    this.width = width;
    this.horizon = horizon;
    this.windowEnd = width;
  }

  requestDone(rpc: Rpc, outcome: Outcome, now: number): void {
    const latency = now - rpc.start;
    if (rpc.counted) {
      this.perEdge[rpc.edge] = (this.perEdge[rpc.edge] ?? 0) + 1;
      this.latency.record(latency);
      this.statuses[outcome.status] = (this.statuses[outcome.status] as number) + 1;
    }
    if (now >= this.windowEnd) this.closeWindowsUntil(now);
    if (now < this.horizon) {
      this.windowDone++;
      if (outcome.status !== Status.OK) this.windowErrors++;
      this.windowLatency.record(latency);
    }
  }

  /** Samples every pod at each window boundary: requests, utilization and open connections in the window. */
  attach(world: World): void {
    const last = new Map<Pod, { arrivals: number; busy: number }>();
    const sample = () => {
      const t = world.sim.now - this.width;
      for (const pod of allPods(world)) {
        const prev = last.get(pod) ?? { arrivals: 0, busy: 0 };
        const now = { arrivals: pod.arrivals, busy: pod.busySecondsTotal() };
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
    const pods = allPods(world).map((p) => ({
      service: p.service,
      pod: p.index,
      requests: p.requests,
      utilization: p.utilization(),
      connections: p.meanConnections(),
    }));
    const l = this.latency;
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
      proxyCpuSeconds: world.edges.reduce((sum, e) => sum + (this.perEdge[e.index] ?? 0) * e.proxyCpuPerRequest, 0),
      proxyMemoryMb: world.stats.proxyMemoryMb,
    };
  }
}
