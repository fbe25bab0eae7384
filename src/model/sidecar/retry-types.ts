// What the sidecar's retry layer needs from a retry policy and a retry budget; built from the scenario
// per proxy profile in sidecar/retry-config.ts from the deciders in resilience/.
import type { Rng } from '../../engine/index.ts';
import type { Outcome } from '../status.ts';

export interface AttemptResult {
  kind: 'response' | 'connect-failure' | 'reset' | 'refused-stream' | 'per-try-timeout' | 'overflow';
  httpStatus: number;
  grpcStatus: number;
  grpcInHeaders: boolean;
  pushbackMs?: number;
}

/** How an attempt's outcome looks to the router deciding on a retry. */
export function attemptResult(outcome: Outcome): AttemptResult {
  switch (outcome.flag) {
    case 'UF':
      return { kind: 'connect-failure', httpStatus: 0, grpcStatus: outcome.status, grpcInHeaders: false };
    case 'UC':
    case 'UR':
      return { kind: 'reset', httpStatus: 0, grpcStatus: outcome.status, grpcInHeaders: false };
    case 'PT':
      return { kind: 'per-try-timeout', httpStatus: 0, grpcStatus: outcome.status, grpcInHeaders: false };
    case 'RS':
      return { kind: 'refused-stream', httpStatus: 0, grpcStatus: outcome.status, grpcInHeaders: false };
    default:
      // Every gRPC response has :status 200; Envoy's local replies to gRPC callers are Trailers-Only too.
      return outcome.pushbackMs === undefined
        ? { kind: 'response', httpStatus: 200, grpcStatus: outcome.status, grpcInHeaders: !outcome.inTrailers }
        : { kind: 'response', httpStatus: 200, grpcStatus: outcome.status, grpcInHeaders: !outcome.inTrailers, pushbackMs: outcome.pushbackMs };
  }
}

export interface RetryPolicy {
  /** Retries allowed after the first attempt (Infinity: limited by the budget only). */
  readonly maxRetries: number;
  /** Per-attempt timeout, Infinity for none. */
  readonly perTryTimeout: number;
  /** Timeout over all attempts and back-off, Infinity for none. */
  readonly routeTimeout: number;
  /** Prefer a host not tried yet (Envoy previous_hosts). */
  readonly avoidPreviousHosts: boolean;
  retryable(result: AttemptResult): boolean;
  /** Delay before retry number `retry` (1 = first retry). */
  backoff(retry: number, rng: Rng): number;
}

export interface RetryGate {
  /** A response that is final (not retried): Linkerd's budget deposits here. */
  settled(now: number): void;
  /** Whether a retry may go now, given the cluster's active and pending requests and active retries. */
  allows(now: number, active: number, pending: number, activeRetries: number): boolean;
  /** Tokens or balance, for time series (NaN when the gate has none). */
  balance(now: number): number;
}

export const noRetries: RetryPolicy = {
  maxRetries: 0,
  perTryTimeout: Number.POSITIVE_INFINITY,
  routeTimeout: Number.POSITIVE_INFINITY,
  avoidPreviousHosts: false,
  retryable: () => false,
  backoff: () => 0,
};

export const openGate: RetryGate = { settled() {}, allows: () => true, balance: () => Number.NaN };
