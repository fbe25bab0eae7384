// Linkerd's consecutive-failures circuit breaker ("failure accrual") for one endpoint: linkerd2-proxy
// `app/outbound/src/http/breaker/consecutive_failures.rs`, penalties from `ExponentialBackoff`; defaults are the
// `balancer.linkerd.io/failure-accrual-consecutive-*` annotations' (REFERENCE §4.3). In Envoy's words: closed = traffic
// flows (linkerd's gate "open"), open = rejecting (gate "shut"), half-open = one probe admitted (gate "limited").
import type { Rng } from '../../engine/index.ts';
import { type Backoff, linkerdBackoff } from './backoff.ts';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface FailureAccrualOptions {
  /** Consecutive failures that open the breaker, an integer ≥ 1. Default 7. */
  maxFailures?: number;
  /** First penalty, seconds. Default 1. */
  minPenalty?: number;
  /** Longest penalty, seconds. Default 60. */
  maxPenalty?: number;
  /** Share of each penalty's base added at random, 0–100. Default 0.5. */
  jitterRatio?: number;
}

/** One endpoint's breaker; `rng` draws the penalties' jitter. */
export function failureAccrual(options: FailureAccrualOptions, rng: Rng): FailureAccrual {
  const maxFailures = options.maxFailures ?? 7;
  if (!Number.isInteger(maxFailures) || maxFailures < 1) throw new RangeError(`maxFailures must be an integer ≥ 1, not ${maxFailures}`);
  const penalty = linkerdBackoff({ min: options.minPenalty ?? 1, max: options.maxPenalty ?? 60, jitterRatio: options.jitterRatio ?? 0.5 });
  return new FailureAccrual(maxFailures, penalty, rng);
}

/**
 * Closed: counts consecutive failures, a success resets the count; `maxFailures` in a row open it. Open: rejects, and
 * ignores the results of requests still in flight, until the penalty ends. Half-open: admits one probe; the first
 * result to arrive decides (linkerd takes whichever response comes first): a success closes the breaker and resets
 * the penalty schedule, a failure opens it again for the next penalty. Penalty k lasts
 * base + min(U·jitterRatio·base, maxPenalty − base) with base = min(minPenalty·2^(k−1), maxPenalty): with the defaults
 * 1–1.5 s, 2–3 s, 4–6 s, 8–12 s, 16–24 s, 32–48 s, then exactly 60 s.
 */
export class FailureAccrual {
  private readonly maxFailures: number;
  private readonly penalty: Backoff;
  private readonly rng: Rng;
  private failures = 0;
  private tripped = false;
  private probeTaken = false;
  /** Penalties served since the breaker last closed. */
  penalties = 0;
  /** When the current penalty ends (meaningful while open). */
  openUntil = Number.NEGATIVE_INFINITY;

  constructor(maxFailures: number, penalty: Backoff, rng: Rng) {
    this.maxFailures = maxFailures;
    this.penalty = penalty;
    this.rng = rng;
  }

  state(now: number): BreakerState {
    if (!this.tripped) return 'closed';
    return now < this.openUntil ? 'open' : 'half-open';
  }

  /** Whether a request may be sent to the endpoint now; in half-open this takes the one probe permit. */
  tryAdmit(now: number): boolean {
    switch (this.state(now)) {
      case 'closed':
        return true;
      case 'open':
        return false;
      case 'half-open':
        if (this.probeTaken) return false;
        this.probeTaken = true;
        return true;
    }
  }

  /** A response from the endpoint, classified by the caller. */
  onResult(success: boolean, now: number): void {
    switch (this.state(now)) {
      case 'closed':
        if (success) this.failures = 0;
        else if (++this.failures === this.maxFailures) this.open(now);
        return;
      case 'open':
        return;
      case 'half-open':
        if (success) this.close();
        else this.open(now);
        return;
    }
  }

  private open(now: number): void {
    this.tripped = true;
    this.probeTaken = false;
    this.failures = 0;
    this.penalties++;
    this.openUntil = now + this.penalty.delay(this.penalties, this.rng);
  }

  private close(): void {
    this.tripped = false;
    this.penalties = 0;
    this.openUntil = Number.NEGATIVE_INFINITY;
  }
}
