// The shapes a run produces: the summary contract (docs/summary.md) and the tidy tables behind
// data/*.csv and the charts. Every summary figure is the mean over replications with its 95% CI.

/** Mean over replications and its 95% Student-t confidence interval (lo = hi = mean with one replication). */
export interface Figure {
  mean: number;
  lo: number;
  hi: number;
}

export interface LatencyFigures {
  mean: Figure;
  p50: Figure;
  p90: Figure;
  p99: Figure;
  p999: Figure;
}

export interface VariantMetrics {
  /** Requests that started inside [warmup, duration), each counted when it finished. */
  requests: Figure;
  throughputRps: Figure;
  successRate: Figure;
  latencyMs: LatencyFigures;
  queueWaitMs: { mean: Figure; p99: Figure };
  /** gRPC status name → count. Every status seen in any replication is present. */
  statusCounts: Record<string, Figure>;
  /** The busiest pod's request count over the mean pod's, per destination service, worst service. */
  podLoadMaxOverMean: Figure;
  /** Engine events processed per replication. */
  events: Figure;
  /** Connections opened in the measured interval (app, proxy and waypoint connections alike). */
  connectionsOpened: Figure;
  /** Pods that served under 1% of their service's fair share (requests / pods), over all serving pods. */
  idlePodFraction: Figure;
  /** CPU cores the proxies (sidecars, ztunnels, waypoints) spend on the counted requests. */
  proxyCpuCores: Figure;
  /** Memory all proxies hold, MB. */
  proxyMemoryMb: Figure;
}

export interface PodSummary {
  service: string;
  /** Pod index within its service: pod 3 of `payments` is `payments/3` in fault targets and charts. */
  pod: number;
  requests: Figure;
  /** This pod's requests over all requests served by its service. */
  share: Figure;
  /** Busy worker time over (workers × measured time). */
  utilization: Figure;
}

export interface VariantSummary {
  name: string;
  metrics: VariantMetrics;
  pods: PodSummary[];
}

export interface Summary {
  scenario: string;
  title: string;
  seed: number;
  replications: number;
  /** Seconds of simulated time in which requests start, and the warm-up excluded from the figures. */
  duration: number;
  warmup: number;
  variants: VariantSummary[];
}

/** One time-series window of one replication of one variant (data/timeseries.csv). */
export interface TimeSeriesRow {
  variant: string;
  replication: number;
  /** Window start, seconds since the run began. */
  t: number;
  /** Requests that completed in the window (all statuses), per second. */
  throughputRps: number;
  /** Requests that completed in the window with a status other than OK, per second. */
  errorRps: number;
  /** Latency percentiles of the requests completed in the window; null when none completed. */
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
}

/** One pod of one replication of one variant (data/pods.csv). */
export interface PodRow {
  variant: string;
  replication: number;
  service: string;
  pod: number;
  requests: number;
  share: number;
  utilization: number;
  connections: number;
}

/** One pod in one window of one replication (data/pod-timeseries.csv). */
export interface PodTimeSeriesRow {
  variant: string;
  replication: number;
  t: number;
  service: string;
  pod: number;
  /** Requests that reached the pod in the window (every request, counted or not). */
  requests: number;
  utilization: number;
  /** Open connections into the pod at the end of the window. */
  connections: number;
}

export interface Tables {
  timeseries: TimeSeriesRow[];
  pods: PodRow[];
  podTimeseries: PodTimeSeriesRow[];
}

/** Everything the report writer needs. */
export interface RunOutput {
  summary: Summary;
  tables: Tables;
  /** The scenario file as the user wrote it, shown in the report. */
  scenarioText: string;
  scenarioFile: string;
}
