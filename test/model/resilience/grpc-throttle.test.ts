// gRPC A6 retry throttling: tokens, threshold, the failure fraction above which it stops retries, and its bounds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retryThrottle } from '../../../src/model/resilience/index.ts';

describe('gRPC retry throttling', () => {
  it('starts full and allows retries while tokens > maxTokens / 2; the failure is counted before asking', () => {
    const throttle = retryThrottle({ maxTokens: 10, tokenRatio: 0.1 });
    expect(throttle.tokens).toBe(10);
    expect([1, 2, 3, 4].map(() => throttle.onFailure())).toEqual([true, true, true, true]);
    expect(throttle.tokens).toBe(6);
    expect(throttle.onFailure()).toBe(false); // 5 is not above 5
    expect(throttle.allowsRetry()).toBe(false);
    throttle.onSuccess();
    expect(throttle.tokens).toBe(5.1);
    expect(throttle.allowsRetry()).toBe(true);
    for (let k = 0; k < 100; k++) throttle.onSuccess();
    expect(throttle.tokens).toBe(10);
  });

  it('keeps tokenRatio to three decimals, dropping the rest', () => {
    expect(retryThrottle({ maxTokens: 10, tokenRatio: 0.1239 }).tokenRatio).toBe(0.123);
    expect(retryThrottle({ maxTokens: 10, tokenRatio: 1.005 }).tokenRatio).toBe(1.005);
    expect(() => retryThrottle({ maxTokens: 10, tokenRatio: 0.0004 })).toThrow(RangeError);
  });

  it('rejects maxTokens outside (0, 1000] and a tokenRatio that is not positive', () => {
    expect(() => retryThrottle({ maxTokens: 0, tokenRatio: 0.1 })).toThrow(RangeError);
    expect(() => retryThrottle({ maxTokens: 1001, tokenRatio: 0.1 })).toThrow(RangeError);
    expect(() => retryThrottle({ maxTokens: 10, tokenRatio: 0 })).toThrow(RangeError);
    expect(() => retryThrottle({ maxTokens: 10, tokenRatio: -1 })).toThrow(RangeError);
  });

  /**
   * A deterministic stream of 10 000 RPCs in which one in every `period` fails; returns how many of the failures found
   * a retry allowed, after the first 500 RPCs (past the drift from the starting tokens).
   */
  function allowedRetries(period: number): { allowed: number; failures: number } {
    const throttle = retryThrottle({ maxTokens: 10, tokenRatio: 0.1 });
    let allowed = 0;
    let failures = 0;
    for (let i = 0; i < 10_000; i++) {
      if (i % period !== period - 1) throttle.onSuccess();
      else {
        const ok = throttle.onFailure();
        if (i >= 500) {
          failures++;
          if (ok) allowed++;
        }
      }
    }
    return { allowed, failures };
  }

  it('stops retries above its failure threshold p* = r / (1 + r) and leaves them alone below it', () => {
    // Per RPC the tokens move by −1 with probability p and +r otherwise: they drift down iff p > r / (1 + r), which
    // for r = 0.1 is 1/11 ≈ 9.1 %. Below (p = 5 %: +19·0.1 − 1 = +0.9 per 20 RPCs) they stay near maxTokens and every
    // failure may be retried; above (p = 20 %: +4·0.1 − 1 = −0.6 per 5 RPCs) they sink from 10 to 0 within ~85 RPCs
    // and stay there, so no retry passes; at p* exactly (1 in 11: +1.0 − 1) they hold and retries still pass.
    const below = allowedRetries(20);
    expect(below.allowed).toBe(below.failures);
    expect(allowedRetries(5).allowed).toBe(0);
    const at = allowedRetries(11);
    expect(at.allowed).toBe(at.failures);
  });

  it('tokens never leave [0, maxTokens]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }).map((m) => m / 1000),
        fc.integer({ min: 1, max: 5000 }).map((r) => r / 1000),
        fc.array(fc.boolean(), { maxLength: 500 }),
        (maxTokens, tokenRatio, outcomes) => {
          const throttle = retryThrottle({ maxTokens, tokenRatio });
          for (const ok of outcomes) {
            if (ok) throttle.onSuccess();
            else throttle.onFailure();
            expect(throttle.tokens).toBeGreaterThanOrEqual(0);
            expect(throttle.tokens).toBeLessThanOrEqual(maxTokens);
            expect(throttle.allowsRetry()).toBe(throttle.tokens > maxTokens / 2);
          }
        },
      ),
    );
  });
});
