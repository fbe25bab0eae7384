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
}

export interface EdgeWindowResult {
  t: number;
  from: string;
  to: string;
  offeredRps: number;
  attemptedRps: number;
  goodputRps: number;
}
