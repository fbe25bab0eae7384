// A sidecar's outbound path for one request, as Envoy's router runs it: route timeout over every
// attempt (UT), then per attempt the circuit breaker (UO overflow, REFERENCE §2.5), the balancer
// (previous hosts avoided on retries) and an upstream connection, with a per-try timeout; a failed
// attempt is retried when the policy's conditions match, attempts remain and the budget allows,
// after the policy's back-off (§3.1). Outcomes are values; the caller hears exactly once.
import type { Simulation, Stream, Timer } from '../../engine/index.ts';
import type { Pod } from '../pod/pod.ts';
import type { Probe } from '../probe.ts';
import { type Done, once, Req } from '../rpc.ts';
import { type Outcome, outcome, Status } from '../status.ts';
import { attemptResult, type RetryGate, type RetryPolicy } from './retry-types.ts';

/** Envoy local replies to a gRPC caller are Trailers-Only with grpc-status from the HTTP code (§1.8). */
export const UPSTREAM_OVERFLOW = outcome(Status.UNAVAILABLE, 'UO');
export const ROUTE_TIMEOUT = outcome(Status.UNAVAILABLE, 'UT');
/** A per-try timeout as the retry layer sees it (the stream was reset by the router). */
export const PER_TRY_TIMEOUT = outcome(Status.UNAVAILABLE, 'PT');
/** What the caller gets when the last attempt timed out: 504, flag UT → UNAVAILABLE. */
const PER_TRY_TIMEOUT_REPLY = outcome(Status.UNAVAILABLE, 'UT');

export interface Upstream {
  /** Picks a pod (avoiding `avoid` when it can) and sends the attempt; returns the pod chosen. */
  send(req: Req, avoid: ReadonlySet<Pod> | undefined, done: Done): Pod | undefined;
}

export interface BreakerLimits {
  maxRequests: number;
}

/** Counters shared by all workers of one sidecar for one destination (Envoy circuit breakers are per cluster). */
export class ClusterCounters {
  active = 0;
  pending = 0;
  activeRetries = 0;
}

export interface OutboundContext {
  sim: Simulation;
  probe: Probe;
  policy: RetryPolicy;
  gate: RetryGate;
  limits: BreakerLimits;
  counters: ClusterCounters;
  rng: Stream;
}

export function routeRequest(ctx: OutboundContext, upstream: Upstream, req: Req, done: Done): void {
  const { sim, policy, counters } = ctx;
  const rpc = req.rpc;
  const answer = once(done);
  const tried = policy.avoidPreviousHosts ? new Set<Pod>() : undefined;
  let current: Req | undefined;
  let perTry: Timer | undefined;
  let backoff: Timer | undefined;
  let retries = 0;
  let routeTimer: Timer | undefined;

  const stop = () => {
    perTry?.cancel();
    if (backoff?.active) counters.activeRetries--; // a retry waiting out its back-off is given up
    backoff?.cancel();
    routeTimer?.cancel();
    current?.cancel();
  };
  const finish = (result: Outcome) => {
    stop();
    req.onCancel = null;
    answer(result);
  };
  req.onCancel = stop;
  if (policy.routeTimeout !== Number.POSITIVE_INFINITY) routeTimer = sim.schedule(policy.routeTimeout, () => finish(ROUTE_TIMEOUT));

  const attempt = (): void => {
    backoff = undefined;
    if (counters.active >= ctx.limits.maxRequests) {
      ctx.probe.overflow(rpc, sim.now);
      return finish(UPSTREAM_OVERFLOW);
    }
    const isRetry = retries > 0;
    const attemptReq = new Req(rpc, req.deadline, retries + 1);
    current = attemptReq;
    counters.active++;
    let settled = false;
    const result = (o: Outcome) => {
      if (settled) return;
      settled = true;
      counters.active--;
      if (isRetry) counters.activeRetries--;
      perTry?.cancel();
      perTry = undefined;
      current = undefined;
      decide(o);
    };
    if (policy.perTryTimeout !== Number.POSITIVE_INFINITY)
      perTry = sim.schedule(policy.perTryTimeout, () => {
        attemptReq.cancel();
        result(PER_TRY_TIMEOUT);
      });
    const pod = upstream.send(attemptReq, tried, result);
    if (pod) tried?.add(pod);
  };

  const decide = (o: Outcome): void => {
    if (req.cancelled) return;
    const final = o.flag === 'PT' ? PER_TRY_TIMEOUT_REPLY : o;
    if (o.status === Status.OK || !policy.retryable(attemptResult(o))) {
      // A final response that was not a retryable failure: Linkerd's budget deposits here (§4.1).
      ctx.gate.settled(sim.now);
      return finish(final);
    }
    if (retries >= policy.maxRetries) return finish(final);
    ctx.probe.retry(rpc, sim.now);
    if (!ctx.gate.allows(sim.now, counters.active, counters.pending, counters.activeRetries)) {
      ctx.probe.retryRejected(rpc, sim.now);
      return finish(final);
    }
    // The retry holds a retry slot from this decision until its attempt completes (an assumption;
    // see docs/resilience.md).
    counters.activeRetries++;
    retries++;
    backoff = sim.schedule(policy.backoff(retries, ctx.rng), attempt);
  };

  attempt();
}
