// A gRPC client's own retry and hedging policies from the service config: gRFC A6 (retryPolicy, hedgingPolicy, pushback,
// "When Retries are Valid"), with grpc-go `clientStream.shouldRetry` for the order of the checks. REFERENCE §5.
// Transparent retries (REFUSED_STREAM: one immediate retry, counted neither as an attempt nor by the throttle) are the
// retry layer's to do before it asks this policy.
import type { Rng } from '../../engine/index.ts';
import type { AttemptResult } from './attempt-result.ts';
import { type Backoff, grpcBackoff } from './backoff.ts';
import { noThrottle, type Throttle } from './grpc-throttle.ts';

export interface GrpcRetryPolicyConfig {
  /** Attempts including the first, an integer ≥ 2; above the client cap it is treated as the cap. */
  maxAttempts: number;
  /** Seconds, > 0. */
  initialBackoff: number;
  /** Seconds, > 0. */
  maxBackoff: number;
  /** > 0. */
  backoffMultiplier: number;
  /** gRPC status codes (0–16) worth a retry; not empty. */
  retryableStatusCodes: readonly number[];
}

export interface GrpcPolicyOptions {
  /** The client's cap on maxAttempts (a channel argument). Default 5. */
  maxAttemptsCap?: number;
  /** Back-off jitter, see `grpcBackoff`. Default `plusMinus20`. */
  jitter?: 'plusMinus20' | 'full';
}

/** Why a call stops retrying. */
export type GrpcStopReason = 'ok' | 'committed' | 'pushback' | 'not-retryable' | 'throttled' | 'attempts';

export type GrpcRetryDecision = { readonly retry: true; readonly delay: number } | { readonly retry: false; readonly reason: GrpcStopReason };

function maxAttemptsWithin(maxAttempts: number, cap: number): number {
  if (!Number.isInteger(maxAttempts) || maxAttempts < 2) throw new RangeError(`maxAttempts must be an integer ≥ 2, not ${maxAttempts}`);
  if (!Number.isInteger(cap) || cap < 2) throw new RangeError(`maxAttemptsCap must be an integer ≥ 2, not ${cap}`);
  return Math.min(maxAttempts, cap);
}

function statusSet(name: string, codes: readonly number[]): ReadonlySet<number> {
  if (codes.length === 0) throw new RangeError(`${name} must not be empty`);
  for (const c of codes) if (!Number.isInteger(c) || c < 0 || c > 16) throw new RangeError(`${name}: ${c} is not a gRPC status code (0–16)`);
  return new Set(codes);
}

export function grpcRetryPolicy(config: GrpcRetryPolicyConfig, options: GrpcPolicyOptions = {}): GrpcRetryPolicy {
  const maxAttempts = maxAttemptsWithin(config.maxAttempts, options.maxAttemptsCap ?? 5);
  const backoff = grpcBackoff({ ...config, jitter: options.jitter ?? 'plusMinus20' });
  return new GrpcRetryPolicy(maxAttempts, statusSet('retryableStatusCodes', config.retryableStatusCodes), backoff);
}

/**
 * The checks, in order: an OK response ends the call; a failure that came in trailers after the response headers is
 * committed (A6: the call commits when Response-Headers arrive), so only Trailers-Only responses and attempts without a
 * response can be retried; pushback < 0 stops; the status must be retryable; the throttle must allow it (a per-call
 * matter, see `call`); attempts must remain. Pushback ≥ 0 sets the delay to exactly that many milliseconds, and the
 * exponential back-off starts over from initialBackoff after it.
 */
export class GrpcRetryPolicy {
  readonly maxAttempts: number;
  readonly retryableStatusCodes: ReadonlySet<number>;
  private readonly backoff: Backoff;

  constructor(maxAttempts: number, retryableStatusCodes: ReadonlySet<number>, backoff: Backoff) {
    this.maxAttempts = maxAttempts;
    this.retryableStatusCodes = retryableStatusCodes;
    this.backoff = backoff;
  }

  /** Whether to retry after attempt number `attempt` (1 = the first) ended with `result`, throttling aside. */
  shouldRetry(result: AttemptResult, attempt: number): 'retry' | 'stop' {
    return this.stopReason(result) === undefined && attempt < this.maxAttempts ? 'retry' : 'stop';
  }

  /** The exponential back-off before the `retry`-th retry counted since the start of the call or its last pushback. */
  delay(retry: number, rng: Rng): number {
    return this.backoff.delay(retry, rng);
  }

  /** Whether the throttle counts `result` as a failure: a retryable status, or pushback saying "do not retry". */
  isThrottleFailure(result: AttemptResult): boolean {
    const reason = this.stopReason(result);
    return reason === undefined || reason === 'pushback';
  }

  /** Per-call memory (attempts made, retries since the last pushback) for one RPC, sharing the channel's throttle. */
  call(throttle: Throttle = noThrottle): GrpcRetryCall {
    return new GrpcRetryCall(this, throttle);
  }

  /** The reason to stop that depends on the result alone, or undefined when it is retryable. */
  stopReason(result: AttemptResult): GrpcStopReason | undefined {
    if (result.kind === 'response') {
      if (result.grpcStatus === 0) return 'ok';
      if (!result.grpcInHeaders) return 'committed';
      if (result.pushbackMs !== undefined && result.pushbackMs < 0) return 'pushback';
    }
    return this.retryableStatusCodes.has(result.grpcStatus) ? undefined : 'not-retryable';
  }
}

/** One RPC under a retry policy: feed it each attempt's result in order; it answers retry-after-delay or stop. */
export class GrpcRetryCall {
  /** Attempts finished so far. */
  attempts = 0;
  private readonly policy: GrpcRetryPolicy;
  private readonly throttle: Throttle;
  private sincePushback = 0;

  constructor(policy: GrpcRetryPolicy, throttle: Throttle) {
    this.policy = policy;
    this.throttle = throttle;
  }

  next(result: AttemptResult, rng: Rng): GrpcRetryDecision {
    this.attempts++;
    const reason = this.policy.stopReason(result);
    if (reason === 'ok') this.throttle.onSuccess();
    if (reason === 'pushback') this.throttle.onFailure();
    if (reason !== undefined) return { retry: false, reason };
    if (!this.throttle.onFailure()) return { retry: false, reason: 'throttled' };
    if (this.attempts >= this.policy.maxAttempts) return { retry: false, reason: 'attempts' };
    if (result.pushbackMs !== undefined) {
      this.sincePushback = 0;
      return { retry: true, delay: result.pushbackMs / 1000 };
    }
    this.sincePushback++;
    return { retry: true, delay: this.policy.delay(this.sincePushback, rng) };
  }
}

export interface HedgingPolicyConfig {
  /** Attempts including the first, an integer ≥ 2; capped like a retry policy's. */
  maxAttempts: number;
  /** Seconds between hedges, ≥ 0. Default 0: all attempts at once. */
  hedgingDelay?: number;
  /** Statuses after which the other hedges may still succeed; not empty. */
  nonFatalStatusCodes: readonly number[];
}

export interface HedgingPolicy {
  readonly maxAttempts: number;
  readonly hedgingDelay: number;
  readonly nonFatalStatusCodes: ReadonlySet<number>;
  /** A non-OK status not in nonFatalStatusCodes: cancel every outstanding hedge and return it. */
  isFatal(status: number): boolean;
}

/** gRFC A6 `hedgingPolicy`, as validated data. */
export function hedgingPolicy(config: HedgingPolicyConfig, options: Pick<GrpcPolicyOptions, 'maxAttemptsCap'> = {}): HedgingPolicy {
  const maxAttempts = maxAttemptsWithin(config.maxAttempts, options.maxAttemptsCap ?? 5);
  const hedgingDelay = config.hedgingDelay ?? 0;
  if (!(hedgingDelay >= 0 && Number.isFinite(hedgingDelay))) throw new RangeError(`hedgingDelay must be a finite number ≥ 0, not ${hedgingDelay}`);
  const nonFatal = statusSet('nonFatalStatusCodes', config.nonFatalStatusCodes);
  return Object.freeze({
    maxAttempts,
    hedgingDelay,
    nonFatalStatusCodes: nonFatal,
    isFatal: (status: number) => status !== 0 && !nonFatal.has(status),
  });
}
