// Back-off before a retry: Envoy's full jitter (documented schedule and the doubling one of Envoy ≥ 1.14), gRPC A6
// (±20 % and the older full jitter), Linkerd's proportional jitter, and none.
import { describe, expect, it } from 'vitest';
import { envoyBackoff, grpcBackoff, linkerdBackoff, noBackoff } from '../../../src/model/resilience/index.ts';
import { cappedUniform, draws, expectMeanNear, scripted, seeded } from './helpers.ts';

const N = 20_000;
const ms = 0.001;

describe('Envoy back-off, documented schedule (REFERENCE §3.1)', () => {
  it('retry N draws uniformly from [0, (2^N − 1)·25 ms): 0–25 ms, 0–75 ms, 0–175 ms', () => {
    const backoff = envoyBackoff();
    const rng = seeded('envoy-documented');
    for (const [retry, range] of [
      [1, 25 * ms],
      [2, 75 * ms],
      [3, 175 * ms],
    ] as const) {
      const xs = draws(N, () => backoff.delay(retry, rng));
      expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...xs)).toBeLessThan(range);
      expect(Math.max(...xs)).toBeGreaterThan(0.99 * range);
      expectMeanNear(xs, cappedUniform(0, range));
    }
  });

  it('from retry 4 the draw over [0, 375 ms) is capped at 250 ms: a third of the delays are exactly 250 ms', () => {
    // The range stops growing at the first step past the cap (Envoy 1.7–1.13 JitteredBackOffStrategy), so retry 8
    // looks like retry 4. P(U·375 ≥ 250) = 1/3; 4 binomial standard deviations of tolerance on the share.
    const backoff = envoyBackoff();
    const rng = seeded('envoy-cap');
    for (const retry of [4, 5, 8]) {
      const xs = draws(N, () => backoff.delay(retry, rng));
      expect(Math.max(...xs)).toBe(250 * ms);
      const capped = xs.filter((x) => x === 250 * ms).length;
      expect(Math.abs(capped - N / 3)).toBeLessThanOrEqual(4 * Math.sqrt((N * (1 / 3) * 2) / 3));
      expectMeanNear(xs, cappedUniform(0, 375 * ms, 250 * ms));
    }
  });

  it('a draw maps straight onto the range: U = 0.5 waits half of it, U = 0.9 at retry 4 hits the cap', () => {
    const backoff = envoyBackoff();
    expect(backoff.delay(2, scripted(0.5))).toBeCloseTo(37.5 * ms, 12);
    expect(backoff.delay(4, scripted(0.9))).toBe(250 * ms);
    expect(backoff.delay(4, scripted(0.6))).toBeCloseTo(225 * ms, 12);
  });

  it('base and max are configurable; max defaults to 10 × base', () => {
    expect(envoyBackoff({ base: 0.1 }).delay(9, scripted(0.999))).toBe(1);
    expect(envoyBackoff({ base: 0.1, max: 0.15 }).delay(2, scripted(0.999))).toBe(0.15);
  });
});

describe('Envoy back-off, doubling schedule (Envoy ≥ 1.14 code)', () => {
  it('retry N draws from [0, min(2^(N−1)·25 ms, 250 ms)): 0–25, 0–50, 0–100, 0–200, then 0–250 ms', () => {
    const backoff = envoyBackoff({ schedule: 'doubling' });
    const rng = seeded('envoy-doubling');
    for (const [retry, range] of [
      [1, 25 * ms],
      [2, 50 * ms],
      [3, 100 * ms],
      [4, 200 * ms],
      [5, 250 * ms],
      [9, 250 * ms],
    ] as const) {
      const xs = draws(N, () => backoff.delay(retry, rng));
      expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...xs)).toBeLessThan(range);
      expectMeanNear(xs, cappedUniform(0, range));
    }
  });
});

describe('gRPC back-off (gRFC A6)', () => {
  const config = { initialBackoff: 0.1, maxBackoff: 1, backoffMultiplier: 2 };

  it('±20 % jitter: retry n waits min(0.1 s·2^(n−1), 1 s)·U(0.8, 1.2), so it may exceed maxBackoff', () => {
    const backoff = grpcBackoff(config);
    const rng = seeded('grpc-20');
    for (const [retry, step] of [
      [1, 0.1],
      [2, 0.2],
      [3, 0.4],
      [4, 0.8],
      [5, 1],
    ] as const) {
      const xs = draws(N, () => backoff.delay(retry, rng));
      expect(Math.min(...xs)).toBeGreaterThanOrEqual(0.8 * step);
      expect(Math.max(...xs)).toBeLessThan(1.2 * step);
      expect(Math.min(...xs)).toBeLessThan(0.81 * step);
      expect(Math.max(...xs)).toBeGreaterThan(1.19 * step);
      expectMeanNear(xs, cappedUniform(0.8 * step, 0.4 * step));
    }
  });

  it('full jitter (A6 before 2024): retry n waits U(0, min(0.1 s·2^(n−1), 1 s))', () => {
    const backoff = grpcBackoff({ ...config, jitter: 'full' });
    const rng = seeded('grpc-full');
    for (const [retry, step] of [
      [1, 0.1],
      [3, 0.4],
      [6, 1],
    ] as const) {
      const xs = draws(N, () => backoff.delay(retry, rng));
      expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...xs)).toBeLessThan(step);
      expectMeanNear(xs, cappedUniform(0, step));
    }
  });

  it('rejects non-positive parameters', () => {
    expect(() => grpcBackoff({ ...config, initialBackoff: 0 })).toThrow(RangeError);
    expect(() => grpcBackoff({ ...config, maxBackoff: -1 })).toThrow(RangeError);
    expect(() => grpcBackoff({ ...config, backoffMultiplier: 0 })).toThrow(RangeError);
  });
});

describe('Linkerd back-off (annotation retries, linkerd2-proxy ExponentialBackoff)', () => {
  it('retry n waits base + min(U·base, 250 ms − base), base = min(25 ms·2^(n−1), 250 ms)', () => {
    // 25–50 ms, 50–100 ms, 100–200 ms; retry 4 has base 200 ms and its jitter is cut at 50 ms, so 3/4 of its delays
    // are exactly 250 ms; from retry 5 the base is the max and there is no room left for jitter.
    const backoff = linkerdBackoff();
    const rng = seeded('linkerd');
    for (const [retry, base] of [
      [1, 25 * ms],
      [2, 50 * ms],
      [3, 100 * ms],
      [4, 200 * ms],
    ] as const) {
      const xs = draws(N, () => backoff.delay(retry, rng));
      expect(Math.min(...xs)).toBeGreaterThanOrEqual(base);
      expect(Math.max(...xs)).toBeLessThanOrEqual(250 * ms);
      expectMeanNear(xs, cappedUniform(base, base, 250 * ms - base));
    }
    for (const retry of [5, 6, 20]) expect(backoff.delay(retry, rng)).toBe(250 * ms);
  });

  it('jitterRatio scales the random part; 0 draws nothing', () => {
    expect(linkerdBackoff({ jitterRatio: 0.5 }).delay(2, scripted(0.5))).toBeCloseTo(62.5 * ms, 12);
    expect(linkerdBackoff({ jitterRatio: 0 }).delay(3, scripted())).toBe(100 * ms);
  });

  it('rejects min > max, a zero max and a jitter ratio outside 0–100', () => {
    expect(() => linkerdBackoff({ min: 1, max: 0.5 })).toThrow(RangeError);
    expect(() => linkerdBackoff({ min: 0, max: 0 })).toThrow(RangeError);
    expect(() => linkerdBackoff({ jitterRatio: -0.1 })).toThrow(RangeError);
    expect(() => linkerdBackoff({ jitterRatio: 101 })).toThrow(RangeError);
  });
});

describe('every back-off', () => {
  it('no back-off (ServiceProfile retries) waits 0 and draws nothing', () => {
    expect(noBackoff.delay(1, scripted())).toBe(0);
    expect(noBackoff.delay(7, scripted())).toBe(0);
  });

  it('retry numbers start at 1', () => {
    for (const backoff of [envoyBackoff(), grpcBackoff({ initialBackoff: 1, maxBackoff: 1, backoffMultiplier: 1 }), linkerdBackoff(), noBackoff]) {
      expect(() => backoff.delay(0, scripted(0.5))).toThrow(RangeError);
      expect(() => backoff.delay(1.5, scripted(0.5))).toThrow(RangeError);
    }
  });

  it('Envoy rejects a non-positive base and a max below base', () => {
    expect(() => envoyBackoff({ base: 0 })).toThrow(RangeError);
    expect(() => envoyBackoff({ base: 0.1, max: 0.05 })).toThrow(RangeError);
  });
});
