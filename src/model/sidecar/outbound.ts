// A sidecar's outbound path for one request, as Envoy's router runs it: route timeout over every
// attempt (UT), then per attempt the circuit breaker (UO overflow, REFERENCE §2.5), the balancer
// (previous hosts avoided on retries) and an upstream connection, with a per-try timeout; a failed
// attempt is retried when the policy's conditions match, attempts remain and the budget allows,
// after the policy's back-off (§3.1). Outcomes are values; the caller hears exactly once.
import type { Simulation, Stream, Timer } from '../../engine/index.ts';
import type { Pod } from '../pod/pod.ts';
import type { Probe } from '../probe.ts';
import { type Done, Req } from '../rpc.ts';
import { type Outcome, outcome, Status } from '../status.ts';
import type { ClusterHealth } from './outlier.ts';
import { attemptResult, type RetryGate, type RetryPolicy } from './retry-types.ts';

/** Envoy local replies to a gRPC caller are Trailers-Only with grpc-status from the HTTP code (§1.8). */
export const UPSTREAM_OVERFLOW = outcome(Status.UNAVAILABLE, 'UO');
export const ROUTE_TIMEOUT = outcome(Status.UNAVAILABLE, 'UT');
/** A per-try timeout as the retry layer sees it (the stream was reset by the router). */
export const PER_TRY_TIMEOUT = outcome(Status.UNAVAILABLE, 'PT');
/** What the caller gets when the last attempt timed out: 504, flag UT → UNAVAILABLE. */
const PER_TRY_TIMEOUT_REPLY = outcome(Status.UNAVAILABLE, 'UT');

/** An attempt's outcome and the pod it went to (none when no pod could be picked). */
export type AttemptDone = (outcome: Outcome, pod?: Pod) => void;

export interface Upstream {
  /** Picks a pod (avoiding `avoid` when it can) and sends the attempt; returns the pod chosen. */
  send(req: Req, avoid: ReadonlySet<Pod> | undefined, done: AttemptDone): Pod | undefined;
}

export interface BreakerLimits {
  maxRequests: number;
  /** Requests waiting for a connection or a stream slot (Istio http1MaxPendingRequests, which applies to HTTP/2 too). */
  maxPending: number;
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
  /** Envoy outlier detection of the cluster, fed one result per attempt. */
  health?: ClusterHealth;
}

export function routeRequest(ctx: OutboundContext, upstream: Upstream, req: Req, done: Done): void {
  new RouteCall(ctx, upstream, req, done).attempt();
}

/** The outcome with another Envoy response flag added. */
function withFlag(o: Outcome, flag: string): Outcome {
  return outcome(o.status, o.flag ? `${o.flag},${flag}` : flag, o.inTrailers, o.pushbackMs);
}

/** One request's trip through the router: a single object per request keeps the hot path light. */
class RouteCall {
  private readonly ctx: OutboundContext;
  private readonly upstream: Upstream;
  private readonly req: Req;
  private readonly done: Done;
  private readonly tried: Set<Pod> | undefined;
  private current: Req | undefined;
  /** The pod the attempt in flight went to. */
  private currentPod: Pod | undefined;
  private currentIsRetry = false;
  private perTry: Timer | undefined;
  private backoff: Timer | undefined;
  private routeTimer: Timer | undefined;
  private retries = 0;
  private answered = false;

  constructor(ctx: OutboundContext, upstream: Upstream, req: Req, done: Done) {
    this.ctx = ctx;
    this.upstream = upstream;
    this.req = req;
    this.done = done;
    this.tried = ctx.policy.avoidPreviousHosts ? new Set<Pod>() : undefined;
    req.onCancel = () => this.stop();
    if (ctx.policy.routeTimeout !== Number.POSITIVE_INFINITY) this.routeTimer = ctx.sim.schedule(ctx.policy.routeTimeout, () => this.finish(ROUTE_TIMEOUT));
  }

  private stop(): void {
    this.perTry?.cancel();
    if (this.backoff?.active) this.ctx.counters.activeRetries--; // a retry waiting out its back-off is given up
    this.backoff?.cancel();
    this.routeTimer?.cancel();
    const current = this.current;
    if (!current) return;
    // The attempt in flight is given up: it leaves the breaker's counts now, and its reset is ignored.
    this.current = undefined;
    this.ctx.counters.active--;
    if (this.currentIsRetry) this.ctx.counters.activeRetries--;
    current.cancel();
  }

  private finish(result: Outcome): void {
    if (this.answered) return;
    this.answered = true;
    // The route timeout gives up the attempt in flight: Envoy reports a local-origin timeout on its host.
    if (result === ROUTE_TIMEOUT && this.current && this.currentPod) this.ctx.health?.timedOut(this.currentPod);
    this.stop();
    this.req.onCancel = null;
    this.done(result);
  }

  readonly attempt = (): void => {
    const { ctx, req } = this;
    this.backoff = undefined;
    if (ctx.counters.active >= ctx.limits.maxRequests || ctx.counters.pending >= ctx.limits.maxPending) {
      // A retry refused here gives its retry slot back.
      if (this.retries > 0) ctx.counters.activeRetries--;
      ctx.probe.overflow(req.rpc, ctx.sim.now);
      return this.finish(UPSTREAM_OVERFLOW);
    }
    const attemptReq = new Req(req.rpc, req.deadline, this.retries + 1);
    this.current = attemptReq;
    this.currentIsRetry = this.retries > 0;
    ctx.counters.active++;
    if (ctx.policy.perTryTimeout !== Number.POSITIVE_INFINITY)
      this.perTry = ctx.sim.schedule(ctx.policy.perTryTimeout, () => {
        this.result(PER_TRY_TIMEOUT, attemptReq, this.currentPod);
        attemptReq.cancel(); // the router resets the stream; that reset's answer is ignored
      });
    this.currentPod = undefined;
    const pod = this.upstream.send(attemptReq, this.tried, (o, to) => this.result(o, attemptReq, to));
    if (pod) {
      this.tried?.add(pod);
      if (this.current === attemptReq) this.currentPod = pod;
    }
  };

  /** An attempt ended (answered, reset or timed out); results of attempts already given up are ignored. */
  private result(o: Outcome, attemptReq: Req | undefined, pod: Pod | undefined): void {
    if (attemptReq === undefined || attemptReq !== this.current) return;
    if (pod) this.ctx.health?.feed(pod, o);
    const { counters } = this.ctx;
    counters.active--;
    if (this.currentIsRetry) counters.activeRetries--;
    this.perTry?.cancel();
    this.perTry = undefined;
    this.current = undefined;
    this.decide(o);
  }

  private decide(o: Outcome): void {
    const { ctx, req } = this;
    if (req.cancelled) return;
    const { policy, counters } = ctx;
    const final = o.flag === 'PT' ? PER_TRY_TIMEOUT_REPLY : o;
    if (o.status === Status.OK || !policy.retryable(attemptResult(o))) {
      // A final response that was not a retryable failure: Linkerd's budget deposits here (§4.1).
      ctx.gate.settled(ctx.sim.now);
      return this.finish(final);
    }
    // Envoy adds a response flag when it would retry but may not (router.cc): URX past the policy's retries, UO when
    // the retry budget or max_retries breaker refuses. Flags accumulate, as in an access log: "UF,URX".
    if (this.retries >= policy.maxRetries) return this.finish(policy.maxRetries > 0 ? withFlag(final, 'URX') : final);
    ctx.probe.retry(req.rpc, ctx.sim.now);
    if (!ctx.gate.allows(ctx.sim.now, counters.active, counters.pending, counters.activeRetries)) {
      ctx.probe.retryRejected(req.rpc, ctx.sim.now);
      return this.finish(withFlag(final, 'UO'));
    }
    // The retry holds a retry slot from this decision until its attempt completes (an assumption;
    // see docs/resilience.md).
    counters.activeRetries++;
    this.retries++;
    this.backoff = ctx.sim.schedule(policy.backoff(this.retries, ctx.rng), this.attempt);
  }
}
