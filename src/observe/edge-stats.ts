// Per caller→callee edge: what the application asked for (requests) and what left toward the callee
// after every retry layer (attempts), with retries, refusals and outcomes; and per time window the
// offered, attempted and successful rates.

export class EdgeCounters {
  requests = 0;
  ok = 0;
  attempts = 0;
  retries = 0;
  retriesRejected = 0;
  overflows = 0;
  readonly statuses: Record<string, number> = {};
  readonly flags: Record<string, number> = {};
  // The current time-series window (every request, counted or not).
  windowOffered = 0;
  windowAttempted = 0;
  windowGoodput = 0;
}

export interface EdgeResult {
  from: string;
  to: string;
  /** True for a workload's calls, false for handlers' downstream calls. */
  entry: boolean;
  requests: number;
  ok: number;
  attempts: number;
  retries: number;
  retriesRejected: number;
  overflows: number;
  statusCounts: Record<string, number>;
  flagCounts: Record<string, number>;
  /** With outlier detection on the callee: detections, enforced ejections and cap overflows in the measured interval. */
  ejectionsDetected?: number;
  ejectionsEnforced?: number;
  ejectionsOverflow?: number;
  /** Seconds the callers' sidecar balancers spent in panic (ignoring ejections) in the measured interval, summed. */
  panicSeconds?: number;
}

export interface EdgeWindowResult {
  t: number;
  from: string;
  to: string;
  offeredRps: number;
  attemptedRps: number;
  goodputRps: number;
}

/**
 * Flow level: `requests` counted RPCs of an edge, `failed` of them UNAVAILABLE with `flag`, after `attempts` tries
 * (expected values, not whole numbers); `statuses` (by gRPC code) gets them too for a workload's edge.
 */
export function countFlow(e: EdgeCounters, statuses: Float64Array | undefined, requests: number, failed: number, attempts: number, flag: string): void {
  const ok = requests - failed;
  e.requests += requests;
  e.ok += ok;
  e.attempts += attempts;
  e.statuses.OK = (e.statuses.OK ?? 0) + ok;
  if (failed > 0) {
    e.statuses.UNAVAILABLE = (e.statuses.UNAVAILABLE ?? 0) + failed;
    e.flags[flag] = (e.flags[flag] ?? 0) + failed;
  }
  if (!statuses) return;
  statuses[0] = (statuses[0] as number) + ok;
  statuses[14] = (statuses[14] as number) + failed;
}
