// Back-off before a retry: Envoy's fully jittered exponential (router_filter docs, `backoff_strategy.cc`), gRPC's
// (gRFC A6), Linkerd's (linkerd2-proxy `linkerd/exp-backoff`, used by annotation retries) and none (ServiceProfile
// retries). REFERENCE §3.1, §4.1, §4.2, §5 and trap 7. Delays are in seconds; `retry` counts from 1.
import type { Rng } from '../../engine/index.ts';

export interface Backoff {
  /** The delay before retry number `retry` (1 = the first retry), in seconds. */
  delay(retry: number, rng: Rng): number;
}

export interface EnvoyBackoffOptions {
  /** Base interval, seconds (`retry_back_off.base_interval`, Istio `retries.backoff`). Default 0.025. */
  base?: number;
  /** Cap, seconds (`retry_back_off.max_interval`). Default 10 × base. */
  max?: number;
  /**
   * `documented` (default, REFERENCE §3.1 and the router docs; Envoy 1.7–1.13 code): retry N draws uniformly from
   * [0, (2^N − 1)·base) and the draw is capped at `max`, so once the range passes `max` a third or more of the delays
   * equal `max`; the range stops growing after the first step past `max`.
   * `doubling` (Envoy ≥ 1.14 code, `JitteredExponentialBackOffStrategy`): retry N draws from [0, min(2^(N−1)·base, max)).
   */
  schedule?: 'documented' | 'doubling';
}

function checkRetry(retry: number): void {
  if (!Number.isInteger(retry) || retry < 1) throw new RangeError(`retry must be an integer ≥ 1, not ${retry}`);
}

function positive(name: string, value: number): number {
  if (!(value > 0 && Number.isFinite(value))) throw new RangeError(`${name} must be a finite number > 0, not ${value}`);
  return value;
}

export function envoyBackoff(options: EnvoyBackoffOptions = {}): Backoff {
  const base = positive('base', options.base ?? 0.025);
  const max = positive('max', options.max ?? 10 * base);
  if (max < base) throw new RangeError(`max (${max}) must be ≥ base (${base})`);
  if ((options.schedule ?? 'documented') === 'doubling') {
    return {
      delay(retry, rng) {
        checkRetry(retry);
        return rng.next() * Math.min(base * 2 ** Math.min(retry - 1, 1000), max);
      },
    };
  }
  // The old code raised its exponent only while (2^n − 1)·base ≤ max: the last exponent used is the first past max.
  let lastExponent = 1;
  while ((2 ** lastExponent - 1) * base <= max) lastExponent++;
  return {
    delay(retry, rng) {
      checkRetry(retry);
      const range = (2 ** Math.min(retry, lastExponent) - 1) * base;
      return Math.min(rng.next() * range, max);
    },
  };
}

export interface GrpcBackoffOptions {
  /** Seconds, > 0. */
  initialBackoff: number;
  /** Seconds, > 0. */
  maxBackoff: number;
  /** > 0. */
  backoffMultiplier: number;
  /**
   * `plusMinus20` (default; A6 since 2024, grpc/proposal#452): retry n after min(initial·mult^(n−1), max)·U(0.8, 1.2).
   * `full` (A6 before 2024): retry n after U(0, min(initial·mult^(n−1), max)).
   */
  jitter?: 'plusMinus20' | 'full';
}

export function grpcBackoff(options: GrpcBackoffOptions): Backoff {
  const initial = positive('initialBackoff', options.initialBackoff);
  const max = positive('maxBackoff', options.maxBackoff);
  const multiplier = positive('backoffMultiplier', options.backoffMultiplier);
  const full = (options.jitter ?? 'plusMinus20') === 'full';
  const step = (retry: number) => Math.min(initial * multiplier ** (retry - 1), max);
  if (full) {
    return {
      delay(retry, rng) {
        checkRetry(retry);
        return rng.next() * step(retry);
      },
    };
  }
  return {
    delay(retry, rng) {
      checkRetry(retry);
      return step(retry) * (0.8 + 0.4 * rng.next());
    },
  };
}

export interface LinkerdBackoffOptions {
  /** Seconds, ≥ 0. Default 0.025 (what the policy controller sends for annotation retries). */
  min?: number;
  /** Seconds, > 0 and ≥ min. Default 0.25. */
  max?: number;
  /** Share of the base added at random, 0–100. Default 1. */
  jitterRatio?: number;
}

/**
 * linkerd2-proxy `ExponentialBackoff`: retry n waits base + min(U·jitterRatio·base, max − base) with
 * base = min(min·2^(n−1), max). With the defaults: 25–50 ms, 50–100 ms, 100–200 ms, 200–250 ms, then exactly 250 ms.
 */
export function linkerdBackoff(options: LinkerdBackoffOptions = {}): Backoff {
  const min = options.min ?? 0.025;
  const max = positive('max', options.max ?? 0.25);
  const jitterRatio = options.jitterRatio ?? 1;
  if (!(min >= 0 && min <= max)) throw new RangeError(`min (${min}) must be ≥ 0 and ≤ max (${max})`);
  if (!(jitterRatio >= 0 && jitterRatio <= 100)) throw new RangeError(`jitterRatio must be between 0 and 100, not ${jitterRatio}`);
  return {
    delay(retry, rng) {
      checkRetry(retry);
      const base = Math.min(min * 2 ** Math.min(retry - 1, 1000), max);
      if (jitterRatio === 0) return base;
      return base + Math.min(rng.next() * jitterRatio * base, max - base);
    },
  };
}

/** No wait at all (Linkerd ServiceProfile retries: only the budget limits them). Draws nothing. */
export const noBackoff: Backoff = Object.freeze({
  delay(retry: number) {
    checkRetry(retry);
    return 0;
  },
});
