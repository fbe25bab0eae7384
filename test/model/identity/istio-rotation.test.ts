// Istio agent rotation (REFERENCE §6.1): renew when r·lifetime remains, r uniform in [0.49, 0.51], at the first
// 5-minute rotation check at or after that point; after a failed CSR, the next check.
import { describe, expect, it } from 'vitest';
import {
  ISTIO_ROTATION_DEFAULTS,
  istioRenewalPoint,
  istioRenewalTime,
  istioRetryTime,
  istioRotationConfig,
  nextCheck,
} from '../../../src/model/identity/index.ts';
import { cert, HOUR, scripted, seeded } from './helpers.ts';

const config = istioRotationConfig();
const day = cert('spiffe://a', 0, 24 * HOUR, 'root');

describe('Istio rotation schedule', () => {
  it('defaults: SECRET_TTL 24 h, grace ratio 0.5 ± 0.01, a check every 5 min', () => {
    expect(ISTIO_ROTATION_DEFAULTS).toEqual({ secretTtl: 86_400, gracePeriodRatio: 0.5, gracePeriodRatioJitter: 0.01, rotationCheckInterval: 300 });
  });

  it('the jitter draws the ratio from [ratio − jitter, ratio + jitter]: U = 0 renews at 12.24 h, U = 1 at 11.76 h, U = ½ at 12 h', () => {
    expect(istioRenewalPoint(day, config, scripted(0))).toBeCloseTo(12.24 * HOUR, 6);
    expect(istioRenewalPoint(day, config, scripted(1))).toBeCloseTo(11.76 * HOUR, 6);
    expect(istioRenewalPoint(day, config, scripted(0.5))).toBeCloseTo(12 * HOUR, 6);
  });

  it('renewal falls in [11.76 h, 12.24 h] of a 24 h cert, then rounds up to the 5-min check grid', () => {
    // 11.76 h = 42 336 s rounds up to 42 600 s; 12.24 h = 44 064 s to 44 100 s (12.25 h).
    const rng = seeded('istio-jitter');
    const points: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const point = istioRenewalPoint(day, config, rng);
      points.push(point);
      expect(point).toBeGreaterThanOrEqual(11.76 * HOUR - 1e-6);
      expect(point).toBeLessThanOrEqual(12.24 * HOUR + 1e-6);
    }
    const again = seeded('istio-jitter');
    for (const point of points) {
      const renewal = istioRenewalTime(day, config, again);
      expect(renewal % 300).toBe(0);
      expect(renewal).toBeGreaterThanOrEqual(point);
      expect(renewal - point).toBeLessThan(300);
      expect(renewal).toBeGreaterThanOrEqual(42_600);
      expect(renewal).toBeLessThanOrEqual(44_100);
    }
    // Uniform over 0.48 h: mean 12 h, sd 0.48 h/√12; 4 standard errors of tolerance.
    const mean = points.reduce((a, b) => a + b, 0) / points.length;
    expect(Math.abs(mean - 12 * HOUR)).toBeLessThanOrEqual((4 * (0.48 * HOUR)) / Math.sqrt(12) / Math.sqrt(points.length));
  });

  it('the check grid runs from the certificate notBefore unless a checkPhase is given', () => {
    const late = cert('spiffe://a', 100, 100 + 24 * HOUR, 'root');
    expect(istioRenewalTime(late, config, scripted(0.5))).toBe(100 + 12 * HOUR);
    expect(istioRenewalTime(late, istioRotationConfig({ checkPhase: 0 }), scripted(0.5))).toBe(12 * HOUR + 300);
    expect(nextCheck(301, 1, 300)).toBe(301);
    expect(nextCheck(301.5, 1, 300)).toBe(601);
  });

  it('the grace ratio scales with the lifetime: a 1 h cert renews 30 min in ± 36 s', () => {
    const hour = cert('spiffe://a', 0, HOUR, 'root');
    const exact = istioRotationConfig({ rotationCheckInterval: 1 });
    expect(istioRenewalPoint(hour, exact, scripted(0))).toBeCloseTo(1800 + 36, 6);
    expect(istioRenewalPoint(hour, exact, scripted(1))).toBeCloseTo(1800 - 36, 6);
  });

  it('after a failed CSR the agent retries at the next rotation check', () => {
    expect(istioRetryTime(day, 12 * HOUR, config)).toBe(12 * HOUR + 300);
    expect(istioRetryTime(day, 12 * HOUR + 10, config)).toBe(12 * HOUR + 300);
  });

  it('a ratio ± jitter outside [0, 1] is a configuration error', () => {
    expect(() => istioRotationConfig({ gracePeriodRatio: 0.995 })).toThrow(RangeError);
    expect(() => istioRotationConfig({ rotationCheckInterval: 0 })).toThrow(RangeError);
  });
});
