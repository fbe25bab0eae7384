// The shapes a run produces: the summary contract (docs/summary.md) and the tidy tables behind
// data/*.csv and the charts. Every summary figure is the mean over replications with its 95% CI.
import type { CertificateRow, HandshakeFailureRow, IdentitySummary, IdentityTimeSeriesRow } from './identity-types.ts';

export type * from './identity-types.ts';

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
  /** Tries that left the callers toward the destination (after every retry layer) per application request, over the workload's calls. */
  attemptsPerRequest: Figure;
  /** Successful application requests per second. */
  goodputRps: Figure;
}

/** One caller→callee pair: a workload's calls or a handler's downstream calls. */
export interface EdgeSummary {
  from: string;
  to: string;
  /** True for a workload's calls (the application's requests), false for handlers' downstream calls. */
  entry: boolean;
  requests: Figure;
  attempts: Figure;
  retries: Figure;
  /** Retries refused by a retry budget, throttling or a breaker. */
  retriesRejected: Figure;
  /** Requests a circuit breaker refused (local reply UO). */
  overflows: Figure;
  successRate: Figure;
  statusCounts: Record<string, Figure>;
  /** Envoy response flags of the final outcomes (UO, UH, UF, UC, UT…). */
  flagCounts: Record<string, Figure>;
  /** With outlier detection on the callee (summed over the callers' sidecars): hosts detected as outliers… */
  ejectionsDetected?: Figure;
  /** …detections that ejected a host… */
  ejectionsEnforced?: Figure;
  /** …and detections refused by the maxEjectionPercent cap. Detections neither enforced nor refused lost the enforcing-% draw. */
  ejectionsOverflow?: Figure;
  /** Seconds the callers' sidecar balancers spent in panic (ignoring ejections), summed over the sidecars. */
  panicSeconds?: Figure;
}

export interface PodSummary {
  service: string;
  /** Pod index within its service: pod 3 of `payments` is `payments/3` in fault targets and charts. */
  pod: number;
  /** The pod's subset (`payments@v2` in fault targets), present only when its service has subsets. */
  subset?: string;
  requests: Figure;
  /** This pod's requests over all requests served by its service. */
  share: Figure;
  /** Busy worker time over (workers × measured time). */
  utilization: Figure;
  /** Seconds the pod was ready (in the endpoints, as the API server has them) in the measured interval. */
  ready: Figure;
  /** With outlier detection on the service: ejections by client sidecars that started in the measured interval. */
  ejections?: Figure;
  /** Seconds ejected inside the measured interval, summed over the client sidecars that ejected the pod. */
  ejectedSeconds?: Figure;
  /** The longest single ejection, seconds. */
  longestEjectionSeconds?: Figure;
}

/** One subset of a service: how much of the service's traffic it took and how much of it succeeded. */
export interface SubsetSummary {
  service: string;
  subset: string;
  /**
   * `route`: requests an L7 route sent to the subset, each with its final answer (Envoy routes once per
   * request, so retries stay inside; Linkerd picks a backend per try, so there each try counts).
   * `pods`: nothing routes to subsets (no mesh, no route split): requests the subset's pods served.
   */
  countedAt: 'route' | 'pods';
  requests: Figure;
  /** This subset's requests over all of its service's subsets' requests. */
  share: Figure;
  /** Requests that ended OK over requests (a request the caller gave up on first counts as failed). */
  successRate: Figure;
}

export interface VariantSummary {
  name: string;
  metrics: VariantMetrics;
  pods: PodSummary[];
  edges: EdgeSummary[];
  /** Per subset of every service that has subsets (empty when none has). */
  subsets: SubsetSummary[];
  /** The variant's scheduled faults. */
  faults: FaultWindow[];
  /** Certificates and mTLS handshakes; present only when the mesh runs mTLS. */
  identity?: IdentitySummary;
  /** The traffic resolution: every RPC (`requests`) or flows of RPCs between events (`flows`). */
  mode?: 'requests' | 'flows';
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
  /** Seconds the pod was ready in the measured interval. */
  ready: number;
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
  /** With outlier detection: mean fraction of the client sidecars calling the service that had the pod ejected. */
  ejected?: number;
}

/** A sidecar cluster's balancer in panic (data/panics.csv): it ignored ejections from `start` to `end`, seconds. */
export interface PanicRow {
  variant: string;
  replication: number;
  from: string;
  cluster: string;
  service: string;
  start: number;
  end: number;
}

/** One outlier ejection of a pod by one client sidecar (data/ejections.csv); seconds since the start. */
export interface EjectionRow {
  variant: string;
  replication: number;
  /** Calling service whose sidecar ejected the pod ('waypoint' for a waypoint). */
  from: string;
  /** The sidecar cluster, `caller/index>service`. */
  cluster: string;
  service: string;
  pod: number;
  /** Envoy ejection type: consecutive5xx, consecutiveGatewayFailure, successRate, failurePercentage… */
  kind: string;
  start: number;
  /** When it was unejected (the run's end if it still was). */
  end: number;
  /** The sweep interval, seconds. */
  interval: number;
}

/** One edge in one window of one replication (data/edge-timeseries.csv). */
export interface EdgeTimeSeriesRow {
  variant: string;
  replication: number;
  t: number;
  from: string;
  to: string;
  /** Requests the callers issued per second (every request, counted or not). */
  offeredRps: number;
  /** Tries sent toward the callee per second, after every retry layer. */
  attemptedRps: number;
  /** Requests that completed OK per second. */
  goodputRps: number;
}

/** Summed retry budget balance (Linkerd, tokens), gRPC throttle tokens or Envoy retries in progress toward a destination, at the end of each window (data/retry-gauges.csv). */
export interface GaugeTimeSeriesRow {
  variant: string;
  replication: number;
  t: number;
  to: string;
  kind: string;
  value: number;
}

/** A scheduled fault, for shading charts: when it starts and ends (seconds; end = duration when it lasts the run). */
export interface FaultWindow {
  target: string;
  kind: string;
  from: number;
  to: number;
}

export interface Tables {
  timeseries: TimeSeriesRow[];
  pods: PodRow[];
  podTimeseries: PodTimeSeriesRow[];
  edgeTimeseries: EdgeTimeSeriesRow[];
  gaugeTimeseries: GaugeTimeSeriesRow[];
  /** Outlier ejections; empty without outlier detection. */
  ejections?: EjectionRow[];
  /** Panics of sidecar balancers; empty without outlier detection. */
  panics?: PanicRow[];
  identityTimeseries: IdentityTimeSeriesRow[];
  certificates: CertificateRow[];
  handshakeFailures: HandshakeFailureRow[];
}

/** Everything the report writer needs. */
export interface RunOutput {
  summary: Summary;
  tables: Tables;
  /** The scenario file as the user wrote it, shown in the report. */
  scenarioText: string;
  scenarioFile: string;
}
