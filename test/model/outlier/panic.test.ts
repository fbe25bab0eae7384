// The healthy panic threshold against outlier ejection (REFERENCE §1.6, §2.2): Envoy's 50 % default, Istio's 0.
import { describe, expect, it } from 'vitest';
import { ENVOY_PANIC_THRESHOLD, healthyPanic, noHealthyUpstream } from '../../../src/model/outlier/index.ts';

describe('healthy panic', () => {
  it('Envoy default 50 %: 10 hosts panic at 4 healthy, not at 5', () => {
    expect(healthyPanic(5, 10, ENVOY_PANIC_THRESHOLD)).toBe(false);
    expect(healthyPanic(4, 10, ENVOY_PANIC_THRESHOLD)).toBe(true);
  });

  it('a single ejected host still gets traffic under the default: 0 of 1 healthy is panic', () => {
    expect(healthyPanic(0, 1, 50)).toBe(true);
    expect(noHealthyUpstream(0, 1, 50)).toBe(false);
  });

  it('threshold 0 (Istio with outlier detection) disables panic: all ejected means 503 no healthy upstream', () => {
    expect(healthyPanic(0, 10, 0)).toBe(false);
    expect(noHealthyUpstream(0, 10, 0)).toBe(true);
    expect(noHealthyUpstream(1, 10, 0)).toBe(false);
  });

  it('Istio minHealthPercent 30: 3 of 10 healthy is fine, 2 of 10 panics', () => {
    expect(healthyPanic(3, 10, 30)).toBe(false);
    expect(healthyPanic(2, 10, 30)).toBe(true);
  });

  it('an empty host set has no healthy upstream', () => {
    expect(noHealthyUpstream(0, 0, 50)).toBe(true);
  });
});
