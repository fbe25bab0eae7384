// The odds of one RPC when `down` of `n` endpoints cannot be connected to and a try that lands on one fails at once
// (UF) and is retried up to `retries` times. With Envoy's previous_hosts predicate (Istio's default) each retry picks
// among hosts not tried yet, so tries sample without replacement (hypergeometric); without it, independently.
// Picks are taken as uniform: the flow level has no per-host load for LEAST_REQUEST or P2C to lean on.

export interface RetryOdds {
  /** Probability that every try failed. */
  readonly fail: number;
  /** Expected tries per RPC. */
  readonly attempts: number;
}

export function retryOdds(down: number, n: number, retries: number, avoidPrevious: boolean): RetryOdds {
  if (n <= 0) return { fail: 1, attempts: 0 };
  let all = 1;
  let attempts = 0;
  for (let i = 0; i <= retries; i++) {
    attempts += all;
    const left = avoidPrevious ? n - i : n;
    const bad = avoidPrevious ? down - i : down;
    if (left <= 0 || bad <= 0) return { fail: 0, attempts };
    all *= bad / left;
  }
  return { fail: all, attempts };
}

/**
 * Handshakes per second toward a host that fails every connection, when tries reach it at `rate` per second and a
 * failed connection takes `setup` seconds: each failure is followed by the next try, which opens a new connection, and
 * tries arriving while it is being set up ride on it (a renewal cycle of 1/rate + setup).
 */
export const failingHandshakeRate = (rate: number, setup: number): number => (rate <= 0 ? 0 : rate / (1 + rate * setup));
