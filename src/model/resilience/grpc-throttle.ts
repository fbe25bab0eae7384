// gRPC retry throttling, one per client channel and server name: gRFC A6 "Throttling Retry Attempts and Hedged RPCs",
// kept in thousandths of a token as grpc core (`ServerRetryThrottleData`) and grpc-java (`Throttle`) do. REFERENCE §5.
// The caller decides what counts: `onFailure` only for RPCs failing with a retryable (or, for hedging, non-fatal) status or
// with pushback saying "do not retry"; `onSuccess` for an OK RPC; anything else (e.g. INVALID_ARGUMENT) touches nothing.

export interface RetryThrottleOptions {
  /** Token cap and starting count, in (0, 1000]. */
  maxTokens: number;
  /** Tokens earned per successful RPC, > 0; digits past the third decimal are dropped. */
  tokenRatio: number;
}

/** Thousandths in `x`, dropping any further digits (the epsilon keeps 1.005 from reading as 1.00499…). */
const milli = (x: number) => Math.floor(x * 1000 + 1e-6);

/** What a retry decision needs from a throttle. */
export interface Throttle {
  onSuccess(): void;
  /** Counts a qualifying failure and returns whether a retry is still allowed. */
  onFailure(): boolean;
  allowsRetry(): boolean;
}

export function retryThrottle(options: RetryThrottleOptions): RetryThrottle {
  const { maxTokens, tokenRatio } = options;
  if (!(maxTokens > 0 && maxTokens <= 1000)) throw new RangeError(`maxTokens must be in (0, 1000], not ${maxTokens}`);
  if (!(tokenRatio > 0 && Number.isFinite(tokenRatio)) || milli(tokenRatio) === 0) {
    throw new RangeError(`tokenRatio must be > 0 with at most 3 decimals that count, not ${tokenRatio}`);
  }
  return new RetryThrottle(milli(maxTokens), milli(tokenRatio));
}

/**
 * token_count starts at maxTokens and stays in [0, maxTokens]: −1 per counted failure, +tokenRatio per success. Retries
 * and hedges are allowed only while token_count > maxTokens / 2; below that they are cancelled, not queued. A6's order is
 * to count the failure first and then ask, which `onFailure`'s return value does in one step.
 */
export class RetryThrottle implements Throttle {
  private milliTokens: number;
  private readonly maxMilli: number;
  private readonly ratioMilli: number;
  private readonly thresholdMilli: number;

  constructor(maxMilliTokens: number, milliTokenRatio: number) {
    this.maxMilli = maxMilliTokens;
    this.ratioMilli = milliTokenRatio;
    this.thresholdMilli = Math.floor(maxMilliTokens / 2);
    this.milliTokens = maxMilliTokens;
  }

  /** Current token count. */
  get tokens(): number {
    return this.milliTokens / 1000;
  }

  /** The effective token ratio, truncated to 3 decimals. */
  get tokenRatio(): number {
    return this.ratioMilli / 1000;
  }

  onSuccess(): void {
    this.milliTokens = Math.min(this.maxMilli, this.milliTokens + this.ratioMilli);
  }

  /** Counts a qualifying failure and returns whether a retry is still allowed. */
  onFailure(): boolean {
    this.milliTokens = Math.max(0, this.milliTokens - 1000);
    return this.allowsRetry();
  }

  allowsRetry(): boolean {
    return this.milliTokens > this.thresholdMilli;
  }
}

/** No `retryThrottling` in the service config: never throttles. */
export const noThrottle: Throttle = Object.freeze({
  onSuccess() {},
  onFailure: () => true,
  allowsRetry: () => true,
});
