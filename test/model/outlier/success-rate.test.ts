// Success-rate and failure-percentage ejection on the previous interval (REFERENCE §1.5): the formula with the population
// standard deviation, and the minimum-hosts and request-volume gates.
import { describe, expect, it } from 'vitest';
import { exceedsFailurePercentage, successRateEjectionThreshold } from '../../../src/model/outlier/index.ts';
import { detector, feedRate, intervalOnly } from './helpers.ts';

/** Feeds one interval: host h gets `volumes[h]` requests with success rate `rates[h]` %, then sweeps at `now`. */
function interval(d: ReturnType<typeof detector>, rates: number[], volumes: number[], now: number) {
  for (const [h, rate] of rates.entries()) feedRate(d, h, volumes[h]!, Math.round((volumes[h]! * (100 - rate)) / 100), now - 5);
  return d.onInterval(now);
}

describe('success rate', () => {
  it('{50, 100, 100, 100, 100} gives mean 90, population stdev 20 and threshold 90 − 1.9·20 = 52', () => {
    expect(successRateEjectionThreshold([50, 100, 100, 100, 100], 1900)).toEqual({ mean: 90, stdev: 20, threshold: 52 });
  });

  it('the host at 50 % among four at 100 % is ejected at the sweep, with the default 100 requests each', () => {
    const d = detector(5, intervalOnly);
    const { ejected } = interval(d, [50, 100, 100, 100, 100], [100, 100, 100, 100, 100], 10);
    expect(ejected).toEqual([{ host: 0, kind: 'successRate', at: 10, duration: 30 }]);
    expect(d.detected.successRate).toBe(1);
  });

  it('with four hosts at 100 %, any fifth host below 100 % is an outlier under factor 1.9 (threshold (4.8x + 20)/5 > x)', () => {
    const d = detector(5, intervalOnly);
    expect(interval(d, [99, 100, 100, 100, 100], [100, 100, 100, 100, 100], 10).ejected.map((e) => e.host)).toEqual([0]);
  });

  it('an even spread has no outlier: {90, 92, 94, 96, 98} gives threshold 94 − 1.9·√8 ≈ 88.6', () => {
    const stats = successRateEjectionThreshold([90, 92, 94, 96, 98], 1900);
    expect(stats.threshold).toBeCloseTo(94 - 1.9 * Math.sqrt(8), 10);
    const d = detector(5, intervalOnly);
    expect(interval(d, [90, 92, 94, 96, 98], [100, 100, 100, 100, 100], 10).ejected).toEqual([]);
  });

  it('one bad host among four is never below mean − 1.9·stdev: its z-score is at most √3', () => {
    const stats = successRateEjectionThreshold([0, 100, 100, 100], 1900);
    expect((stats.mean - 0) / stats.stdev).toBeCloseTo(Math.sqrt(3), 10);
    expect(0).toBeGreaterThan(stats.threshold);
  });

  it('request-volume gate: at 99 requests a host is not judged, and the four others are too few for the minimum of 5', () => {
    const d = detector(5, intervalOnly);
    expect(interval(d, [50, 100, 100, 100, 100], [100, 99, 100, 100, 100], 10).ejected).toEqual([]);
  });

  it('minimum-hosts gate: a cluster of 4 hosts is never judged, with both minimums at 5', () => {
    const d = detector(4, { ...intervalOnly, enforcingFailurePercentage: 100 });
    expect(interval(d, [0, 100, 100, 100], [100, 100, 100, 100], 10).ejected).toEqual([]);
    const lowered = detector(4, { ...intervalOnly, enforcingFailurePercentage: 100, failurePercentageMinimumHosts: 4 });
    expect(interval(lowered, [0, 100, 100, 100], [100, 100, 100, 100], 10).ejected.map((e) => [e.host, e.kind])).toEqual([[0, 'failurePercentage']]);
  });

  it('hosts already ejected are left out of the statistics', () => {
    const d = detector(6, intervalOnly);
    interval(d, [50, 100, 100, 100, 100, 100], [100, 100, 100, 100, 100, 100], 10);
    expect(d.ejectedHosts()).toEqual([0]);
    // Host 0 still gets traffic (panic, say) and fails, but it is not among the 5 valid hosts.
    expect(interval(d, [0, 60, 100, 100, 100, 100], [100, 100, 100, 100, 100, 100], 20).ejected.map((e) => e.host)).toEqual([1]);
  });

  it('Envoy default stdev factor 1.9 ejects nothing when all hosts are equally bad', () => {
    const d = detector(5, intervalOnly);
    expect(interval(d, [40, 40, 40, 40, 40], [100, 100, 100, 100, 100], 10).ejected).toEqual([]);
  });
});

describe('failure percentage', () => {
  it('ejects when 100 − success rate ≥ 85: 85 % failures ejects, 84 % does not', () => {
    expect(exceedsFailurePercentage(15, 85)).toBe(true);
    expect(exceedsFailurePercentage(16, 85)).toBe(false);
    const d = detector(6, { ...intervalOnly, enforcingFailurePercentage: 100, enforcingSuccessRate: 0 });
    const { ejected } = interval(d, [15, 16, 100, 100, 100, 100], [100, 100, 100, 100, 100, 100], 10);
    expect(ejected.map((e) => [e.host, e.kind])).toEqual([[0, 'failurePercentage']]);
  });

  it('is detected but not enforced by default (enforcing_failure_percentage 0)', () => {
    const d = detector(5, { ...intervalOnly, enforcingSuccessRate: 0 });
    expect(interval(d, [0, 0, 100, 100, 100], [50, 50, 50, 50, 50], 10).ejected).toEqual([]);
    expect(d.detected.failurePercentage).toBe(2);
    expect(d.enforced.failurePercentage).toBe(0);
  });

  it('request-volume gate at 50: 49 requests are not judged', () => {
    const d = detector(5, { ...intervalOnly, enforcingFailurePercentage: 100 });
    expect(interval(d, [0, 100, 100, 100, 100], [49, 50, 50, 50, 50], 10).ejected).toEqual([]);
    expect(interval(d, [0, 100, 100, 100, 100], [50, 50, 50, 50, 50], 20).ejected.map((e) => e.kind)).toEqual(['failurePercentage']);
  });

  it('a host ejected for its success rate is not ejected again for its failure percentage in the same sweep', () => {
    const d = detector(5, { ...intervalOnly, enforcingFailurePercentage: 100 });
    const { ejected } = interval(d, [0, 100, 100, 100, 100], [100, 100, 100, 100, 100], 10);
    expect(ejected.map((e) => e.kind)).toEqual(['successRate']);
    expect(d.detected.failurePercentage).toBe(0);
  });
});
