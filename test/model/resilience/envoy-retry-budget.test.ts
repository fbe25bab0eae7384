// Envoy's concurrent-retry gate: retry_budget (20 % of active + pending, at least 3) or max_retries (REFERENCE §2.5).
import { describe, expect, it } from 'vitest';
import { envoyRetryGate, ISTIO_MAX_RETRIES } from '../../../src/model/resilience/index.ts';

describe('Envoy retry budget', () => {
  it.each([
    [0, 0, 3],
    [10, 0, 3],
    [15, 0, 3],
    [20, 0, 4],
    [24, 0, 4],
    [25, 0, 5],
    [100, 0, 20],
    [10, 10, 4],
    [0, 50, 10],
  ])('with %d active and %d pending requests, up to %d retries run at once: max(3, ⌊20 % of active + pending⌋)', (active, pending, limit) => {
    const gate = envoyRetryGate({ budgetPercent: 20 });
    expect(gate.limit(active, pending)).toBe(limit);
    expect(gate.allows(active, pending, limit - 1)).toBe(true);
    expect(gate.allows(active, pending, limit)).toBe(false);
  });

  it('setting minRetryConcurrency alone switches the budget on at 20 %', () => {
    const gate = envoyRetryGate({ minRetryConcurrency: 1 });
    expect(gate.limit(0, 0)).toBe(1);
    expect(gate.limit(50, 0)).toBe(10);
  });

  it('the percentage and the floor are configurable; the budget overrides maxRetries', () => {
    const gate = envoyRetryGate({ budgetPercent: 50, minRetryConcurrency: 0, maxRetries: 100 });
    expect(gate.limit(0, 0)).toBe(0);
    expect(gate.allows(0, 0, 0)).toBe(false);
    expect(gate.limit(7, 0)).toBe(3);
  });
});

describe('Envoy max_retries', () => {
  it('without a budget, at most max_retries (3 by default) retries run at once, whatever the load', () => {
    const gate = envoyRetryGate();
    expect(gate.allows(1000, 1000, 2)).toBe(true);
    expect(gate.allows(1000, 1000, 3)).toBe(false);
    expect(envoyRetryGate({ maxRetries: 0 }).allows(0, 0, 0)).toBe(false);
  });

  it('Istio’s default max_retries, 2^32 − 1, is in effect no limit', () => {
    const gate = envoyRetryGate({ maxRetries: ISTIO_MAX_RETRIES });
    expect(gate.allows(0, 0, 1_000_000)).toBe(true);
    expect(ISTIO_MAX_RETRIES).toBe(4294967295);
  });

  it('rejects a budget outside 0–100 % and negative or fractional limits', () => {
    expect(() => envoyRetryGate({ budgetPercent: 120 })).toThrow(RangeError);
    expect(() => envoyRetryGate({ minRetryConcurrency: -1 })).toThrow(RangeError);
    expect(() => envoyRetryGate({ maxRetries: 2.5 })).toThrow(RangeError);
  });
});
