// Collects one run's observations: latency and queue-wait histograms and status counts for the
// requests that count, and fixed-width time-series windows (by completion time) for every request.
import type { Pod } from '../model/pod/pod.ts';
import type { Probe } from '../model/probe.ts';
import type { Rpc } from '../model/rpc.ts';
import { type Outcome, Status, statusName } from '../model/status.ts';
import type { World } from '../model/world.ts';
import { LatencyHistogram } from './histogram.ts';
import type { RunResult, WindowResult } from './run-result.ts';

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

  /** Windows of `width` seconds cover [0, horizon). */
  constructor(width: number, horizon: number) {
    this.width = width;
    this.horizon = horizon;
    this.windowEnd = width;
  }

  requestDone(rpc: Rpc, outcome: Outcome, now: number): void {
    const latency = now - rpc.start;
    if (rpc.counted) {
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
    const pods = [...world.pods.values()].flat().map((p) => ({ service: p.service, pod: p.index, requests: p.requests, utilization: p.utilization() }));
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
    };
  }
}
