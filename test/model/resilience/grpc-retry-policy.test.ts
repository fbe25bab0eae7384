// gRPC A6 retry policy decisions (status, commit, attempts, pushback, throttling) and the hedging policy's data.
import { describe, expect, it } from 'vitest';
import { grpcResponse, grpcRetryPolicy, hedgingPolicy, retryThrottle, transportFailure } from '../../../src/model/resilience/index.ts';
import { scripted } from './helpers.ts';

const UNAVAILABLE = 14;
const config = { maxAttempts: 4, initialBackoff: 0.1, maxBackoff: 0.3, backoffMultiplier: 2, retryableStatusCodes: [UNAVAILABLE] };

describe('gRPC retry policy', () => {
  it('maxAttempts above the client cap of 5 is treated as 5; the cap is configurable; below 2 is an error', () => {
    expect(grpcRetryPolicy({ ...config, maxAttempts: 6 }).maxAttempts).toBe(5);
    expect(grpcRetryPolicy({ ...config, maxAttempts: 6 }, { maxAttemptsCap: 10 }).maxAttempts).toBe(6);
    expect(() => grpcRetryPolicy({ ...config, maxAttempts: 1 })).toThrow(RangeError);
    expect(() => grpcRetryPolicy({ ...config, retryableStatusCodes: [] })).toThrow(RangeError);
    expect(() => grpcRetryPolicy({ ...config, retryableStatusCodes: [17] })).toThrow(RangeError);
  });

  it('retries a retryable status sent Trailers-Only until maxAttempts attempts were made', () => {
    const policy = grpcRetryPolicy(config);
    const failed = grpcResponse(UNAVAILABLE);
    expect([1, 2, 3, 4].map((attempt) => policy.shouldRetry(failed, attempt))).toEqual(['retry', 'retry', 'retry', 'stop']);
  });

  it('a failure in trailers after response headers is committed and not retried (A6 “When Retries are Valid”)', () => {
    expect(grpcRetryPolicy(config).shouldRetry(grpcResponse(UNAVAILABLE, { inHeaders: false }), 1)).toBe('stop');
  });

  it('OK and statuses outside retryableStatusCodes stop', () => {
    const policy = grpcRetryPolicy(config);
    expect(policy.shouldRetry(grpcResponse(0), 1)).toBe('stop');
    expect(policy.shouldRetry(grpcResponse(3), 1)).toBe('stop');
    expect(policy.stopReason(grpcResponse(3))).toBe('not-retryable');
  });

  it('attempts without a response carry the status a gRPC client reports: UNAVAILABLE, or DEADLINE_EXCEEDED for a timeout', () => {
    const policy = grpcRetryPolicy(config);
    for (const kind of ['connect-failure', 'reset', 'refused-stream', 'overflow'] as const) {
      expect(policy.shouldRetry(transportFailure(kind), 1)).toBe('retry');
    }
    expect(policy.shouldRetry(transportFailure('per-try-timeout'), 1)).toBe('stop');
  });

  it('the back-off grows by the multiplier up to maxBackoff: 0.1, 0.2, 0.3 s at the middle of the ±20 % jitter', () => {
    const call = grpcRetryPolicy(config).call();
    const rng = scripted(0.5, 0.5, 0.5);
    const delays = [1, 2, 3].map(() => call.next(grpcResponse(UNAVAILABLE), rng));
    expect(delays.map((d) => (d.retry ? d.delay : d.reason))).toEqual([0.1, 0.2, 0.3].map((x) => expect.closeTo(x, 12)));
    expect(call.next(grpcResponse(UNAVAILABLE), rng)).toEqual({ retry: false, reason: 'attempts' });
  });

  it('pushback ≥ 0 retries after exactly that delay, and the exponential back-off starts over after it', () => {
    const call = grpcRetryPolicy({ ...config, maxAttempts: 5 }).call();
    const rng = scripted(0.5, 0.5, 0.5);
    expect(call.next(grpcResponse(UNAVAILABLE), rng)).toEqual({ retry: true, delay: expect.closeTo(0.1, 12) });
    expect(call.next(grpcResponse(UNAVAILABLE), rng)).toEqual({ retry: true, delay: expect.closeTo(0.2, 12) });
    expect(call.next(grpcResponse(UNAVAILABLE, { pushbackMs: 750 }), rng)).toEqual({ retry: true, delay: 0.75 });
    expect(call.next(grpcResponse(UNAVAILABLE), rng)).toEqual({ retry: true, delay: expect.closeTo(0.1, 12) });
  });

  it('negative pushback stops the call and counts as a failure for the throttle', () => {
    const throttle = retryThrottle({ maxTokens: 10, tokenRatio: 0.1 });
    const policy = grpcRetryPolicy(config);
    expect(policy.shouldRetry(grpcResponse(UNAVAILABLE, { pushbackMs: -1 }), 1)).toBe('stop');
    expect(policy.call(throttle).next(grpcResponse(UNAVAILABLE, { pushbackMs: -1 }), scripted())).toEqual({ retry: false, reason: 'pushback' });
    expect(throttle.tokens).toBe(9);
  });

  it('pushback does not make a non-retryable status retryable', () => {
    expect(grpcRetryPolicy(config).shouldRetry(grpcResponse(3, { pushbackMs: 10 }), 1)).toBe('stop');
  });

  it('a throttled channel cancels the retry; only retryable failures and OK responses move the tokens', () => {
    const throttle = retryThrottle({ maxTokens: 2, tokenRatio: 0.5 });
    const policy = grpcRetryPolicy(config);
    expect(policy.call(throttle).next(grpcResponse(UNAVAILABLE), scripted())).toEqual({ retry: false, reason: 'throttled' });
    expect(throttle.tokens).toBe(1);
    policy.call(throttle).next(grpcResponse(3), scripted());
    policy.call(throttle).next(grpcResponse(UNAVAILABLE, { inHeaders: false }), scripted());
    expect(throttle.tokens).toBe(1);
    policy.call(throttle).next(grpcResponse(0), scripted());
    expect(throttle.tokens).toBe(1.5);
    expect(policy.isThrottleFailure(grpcResponse(UNAVAILABLE))).toBe(true);
    expect(policy.isThrottleFailure(grpcResponse(3, { pushbackMs: -5 }))).toBe(true);
    expect(policy.isThrottleFailure(grpcResponse(3))).toBe(false);
  });
});

describe('gRPC hedging policy', () => {
  it('a status is fatal unless OK or listed non-fatal; maxAttempts is capped like retries', () => {
    const policy = hedgingPolicy({ maxAttempts: 8, hedgingDelay: 0.5, nonFatalStatusCodes: [14, 13, 10] });
    expect(policy.maxAttempts).toBe(5);
    expect(policy.hedgingDelay).toBe(0.5);
    expect([0, 14, 13, 10, 3, 2].map(policy.isFatal)).toEqual([false, false, false, false, true, true]);
  });

  it('hedgingDelay defaults to 0 (all attempts at once) and may not be negative', () => {
    expect(hedgingPolicy({ maxAttempts: 3, nonFatalStatusCodes: [14] }).hedgingDelay).toBe(0);
    expect(() => hedgingPolicy({ maxAttempts: 3, hedgingDelay: -1, nonFatalStatusCodes: [14] })).toThrow(RangeError);
    expect(() => hedgingPolicy({ maxAttempts: 3, nonFatalStatusCodes: [] })).toThrow(RangeError);
  });
});
