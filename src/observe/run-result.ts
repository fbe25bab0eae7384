// What one replication of one variant leaves behind: plain numbers, small enough to send back from a
// worker thread, from which the summary and the tables are built.
import type { EdgeResult, EdgeWindowResult } from './edge-stats.ts';
import type { IdentityRunResult } from './identity-collector.ts';

export interface PodResult {
  service: string;
  pod: number;
  /** The pod's subset, when its service has subsets. */
  subset?: string;
  requests: number;
  utilization: number;
  /** Mean open connections into the pod over the measured interval. */
  connections: number;
  /** Seconds the pod was ready within the measured interval. */
  ready: number;
  /** With outlier detection: ejections by client sidecars in the measured interval (see outlier-stats.ts). */
  ejections?: number;
  ejectedSeconds?: number;
  longestEjectionSeconds?: number;
}

/** One ejection of a pod by one client sidecar (seconds since the start). */
export interface EjectionResult {
  /** The calling service whose sidecar ejected the pod ('waypoint' for a waypoint). */
  from: string;
  /** The sidecar cluster, e.g. `frontend/0>payments`. */
  cluster: string;
  service: string;
  pod: number;
  kind: string;
  start: number;
  end: number;
  /** The detector's sweep interval, seconds. */
  interval: number;
}

/** A sidecar cluster's balancer in panic from `start` to `end` (seconds since the start). */
export interface PanicResult {
  from: string;
  cluster: string;
  service: string;
  start: number;
  end: number;
}

/** One pod in one time-series window. */
export interface PodWindowResult {
  t: number;
  service: string;
  pod: number;
  requests: number;
  utilization: number;
  connections: number;
  /** With outlier detection: the mean fraction of the client sidecars calling the service that had this pod ejected. */
  ejected?: number;
}

export interface WindowResult {
  t: number;
  throughputRps: number;
  errorRps: number;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
}

export interface RunResult {
  variant: string;
  replication: number;
  seed: number;
  events: number;
  /** Seconds in the measured interval [warmup, duration). */
  measured: number;
  requests: number;
  statusCounts: Record<string, number>;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; p999: number };
  queueWaitMs: { mean: number; p99: number };
  pods: PodResult[];
  timeseries: WindowResult[];
  podTimeseries: PodWindowResult[];
  connectionsOpened: number;
  /** Proxy CPU seconds spent on counted requests. */
  proxyCpuSeconds: number;
  proxyMemoryMb: number;
  edges: EdgeResult[];
  edgeTimeseries: EdgeWindowResult[];
  gaugeTimeseries: GaugeWindowResult[];
  /** Every outlier ejection (empty without outlier detection). */
  ejections: EjectionResult[];
  /** Every stretch in which a sidecar cluster's balancer was in panic (ignoring ejections). */
  panics: PanicResult[];
  subsets: SubsetResult[];
  /** Certificates and handshakes; absent without mTLS. */
  identity?: IdentityRunResult;
  /** The traffic resolution the run used. */
  mode?: 'requests' | 'flows';
}

/**
 * One subset's counted requests and those that ended OK: per request as an L7 route sent them
 * (`route`; per try under Linkerd), or, where nothing routes to subsets, as its pods served them (`pods`).
 */
export interface SubsetResult {
  service: string;
  subset: string;
  countedAt: 'route' | 'pods';
  requests: number;
  ok: number;
}

/** Retry budgets and throttles of one kind toward one destination, summed over every proxy or channel, at a window's end. */
export interface GaugeWindowResult {
  t: number;
  to: string;
  kind: string;
  value: number;
}
