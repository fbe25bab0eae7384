// Linkerd's balancer: power of two choices over peak-EWMA latency (REFERENCE §4.3). The estimator is tower's
// `PeakEwma` (tower/src/load/peak_ewma.rs, after Finagle's PeakEwma.scala); the pair is linkerd2-proxy's `gen_pair`
// (linkerd/proxy/balance/src/pool/p2c.rs): two distinct endpoints, the first kept unless the second costs strictly less.
import type { Rng } from '../../engine/index.ts';
import { activeRequests, type Endpoint, type LoadMetric, type Picker, type RttFeedback } from './types.ts';

/** Linkerd's `DEFAULT_EWMA` (linkerd/app/outbound, logical/profile.rs): default_rtt 30 ms, decay 10 s. */
export const LINKERD_DEFAULT_RTT = 0.03;
export const LINKERD_DECAY = 10;

/**
 * tower `RttEstimate`: the estimate in seconds and when it last changed. An answer slower than the estimate
 * becomes the estimate at once (the peak); a faster one is blended in with weight 1 − exp(−Δt/τ), Δt the time
 * since the last change. Reading the load is an update with an RTT of 0, so an idle estimate decays toward zero.
 */
export class RttEstimate {
  rtt: number;
  updatedAt: number;

  constructor(rtt: number, at: number) {
    this.rtt = rtt;
    this.updatedAt = at;
  }

  /** An attempt answered (or given up) after `rtt` seconds, at `now`; returns the new estimate. */
  update(rtt: number, now: number, decay: number): number {
    if (this.rtt < rtt) {
      this.rtt = rtt;
    } else {
      const elapsed = Math.max(0, now - this.updatedAt);
      const w = Math.exp(-elapsed / decay);
      this.rtt = this.rtt * w + rtt * (1 - w);
    }
    this.updatedAt = now;
    return this.rtt;
  }

  /** tower `RttEstimate::decay`: the estimate at `now` with no answer since (an update with RTT 0). */
  decay(now: number, decay: number): number {
    return this.update(0, now, decay);
  }
}

/** tower `Cost`: the estimate times (pending + 1), the work this balancer expects ahead of a new request. */
export function peakEwmaCost(estimate: number, pending: number): number {
  return estimate * (pending + 1);
}

export interface PeakEwmaOptions<E extends Endpoint = Endpoint> {
  /** The clock, in seconds (the simulation's virtual time). */
  now: () => number;
  /** Estimate of an endpoint before its first answer, seconds > 0. Default 0.03 (Linkerd). */
  defaultRtt?: number;
  /** Decay time constant τ, seconds > 0. Default 10 (Linkerd). */
  decay?: number;
  /** Requests outstanding on an endpoint. Default: its active requests (tower counts live handles). */
  pending?: LoadMetric<E>;
}

export interface PeakEwmaPicker<E extends Endpoint = Endpoint> extends Picker<E> {
  readonly feedback: RttFeedback<E>;
  /** The endpoint's cost at `now` (tower `Load::load`, which decays the estimate as it reads it). */
  cost(e: E, now?: number): number;
}

export function peakEwma<E extends Endpoint = Endpoint>(options: PeakEwmaOptions<E>): PeakEwmaPicker<E> {
  const defaultRtt = options.defaultRtt ?? LINKERD_DEFAULT_RTT;
  const decay = options.decay ?? LINKERD_DECAY;
  if (!(defaultRtt > 0 && Number.isFinite(defaultRtt))) throw new RangeError(`defaultRtt must be a finite number > 0, not ${defaultRtt}`);
  if (!(decay > 0 && Number.isFinite(decay))) throw new RangeError(`decay must be a finite number > 0, not ${decay}`);
  return new PeakEwmaP2c<E>(options.now, defaultRtt, decay, options.pending ?? activeRequests);
}

class PeakEwmaP2c<E extends Endpoint> implements PeakEwmaPicker<E> {
  readonly feedback: RttFeedback<E>;
  private readonly now: () => number;
  private readonly defaultRtt: number;
  private readonly decay: number;
  private readonly pending: LoadMetric<E>;
  /** One estimate per endpoint, created when the endpoint joins (tower `PeakEwmaDiscover` on `Change::Insert`). */
  private readonly estimates = new Map<E, RttEstimate>();

  constructor(now: () => number, defaultRtt: number, decay: number, pending: LoadMetric<E>) {
    this.now = now;
    this.defaultRtt = defaultRtt;
    this.decay = decay;
    this.pending = pending;
    // An answer from an endpoint that has left is dropped: tower's handle updates the evicted service's estimate,
    // which nobody reads any more.
    this.feedback = { now, observe: (e, rtt, at) => this.estimates.get(e)?.update(rtt, at, this.decay) };
  }

  cost(e: E, now = this.now()): number {
    return peakEwmaCost(this.estimateOf(e, now).decay(now, this.decay), this.pending(e));
  }

  pick(endpoints: readonly E[], rng: Rng): E {
    const n = endpoints.length;
    if (n === 1) return endpoints[0]!;
    // linkerd2-proxy `gen_pair`: a uniform over n, b uniform over the n − 1 others.
    const a = Math.floor(rng.next() * n);
    let b = Math.floor(rng.next() * (n - 1));
    if (b >= a) b++;
    const now = this.now();
    const first = endpoints[a]!;
    const second = endpoints[b]!;
    return this.cost(first, now) <= this.cost(second, now) ? first : second;
  }

  /** Endpoints that left lose their estimate; one that comes back starts again from the default. Endpoints never
   * announced here get their estimate at their first pick. */
  update(endpoints: readonly E[]): void {
    const now = this.now();
    const present = new Set(endpoints);
    for (const e of this.estimates.keys()) if (!present.has(e)) this.estimates.delete(e);
    for (const e of endpoints) this.estimateOf(e, now);
  }

  private estimateOf(e: E, now: number): RttEstimate {
    let estimate = this.estimates.get(e);
    if (!estimate) this.estimates.set(e, (estimate = new RttEstimate(this.defaultRtt, now)));
    return estimate;
  }
}
