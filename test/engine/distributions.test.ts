// Each distribution's sample mean against its stated mean, with a tolerance of 4 standard errors
// (estimated from the sample itself; fixed seed), and quantile checks for the lognormal and pareto.
import { mean, quantile, sampleStandardDeviation } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import {
  boundedPareto,
  constant,
  type Distribution,
  empirical,
  erlang,
  exponential,
  gamma,
  lognormalFromMoments,
  lognormalFromQuantiles,
  RandomStreams,
  uniform,
} from '../../src/engine/index.ts';

const N = 200_000;
const sample = (d: Distribution, name: string) => {
  const rng = new RandomStreams(2024).stream(name);
  return Array.from({ length: N }, () => d.sample(rng));
};

const cases: [string, Distribution, number][] = [
  ['constant', constant(0.004), 0.004],
  ['exponential', exponential(0.001), 0.001],
  ['uniform', uniform(0.001, 0.003), 0.002],
  ['lognormal(median, p99)', lognormalFromQuantiles(0.004, 0.025), 0.004 * Math.exp((Math.log(25 / 4) / 2.3263478740408408) ** 2 / 2)],
  ['lognormal(mean, cv)', lognormalFromMoments(0.01, 2), 0.01],
  ['erlang-4', erlang(4, 0.002), 0.002],
  ['erlang-50', erlang(50, 0.002), 0.002],
  ['gamma(0.5)', gamma(0.5, 0.003), 0.003],
  ['gamma(3.7)', gamma(3.7, 0.003), 0.003],
  ['bounded pareto(1.5)', boundedPareto(1.5, 0.001, 1), boundedPareto(1.5, 0.001, 1).mean],
  ['bounded pareto(1)', boundedPareto(1, 0.001, 0.1), (0.1 * 0.001 * Math.log(100)) / (0.1 - 0.001)],
  ['empirical weighted', empirical([0.001, 0.01], [3, 1]), 0.00325],
];

describe('distribution means', () => {
  for (const [name, d, expected] of cases) {
    it(`${name}: stated mean is the true mean, and the sample mean agrees within 4 standard errors`, () => {
      expect(d.mean).toBeCloseTo(expected, 12);
      const xs = sample(d, name);
      const se = sampleStandardDeviation(xs) / Math.sqrt(N);
      expect(Math.abs(mean(xs) - expected)).toBeLessThanOrEqual(4 * se + 1e-15);
    });
  }
});

describe('distribution shapes', () => {
  it('lognormal given median and p99 has that median and p99 (binomial tolerance)', () => {
    const xs = sample(lognormalFromQuantiles(0.004, 0.025), 'lnq');
    // The fraction below the true median/p99 is binomial: sd sqrt(p(1-p)/N); allow 4 sd.
    const below = (x: number) => xs.filter((v) => v <= x).length / N;
    expect(Math.abs(below(0.004) - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / N));
    expect(Math.abs(below(0.025) - 0.99)).toBeLessThan(4 * Math.sqrt((0.99 * 0.01) / N));
  });

  it('bounded pareto stays inside its bounds and has the truncated law’s median', () => {
    const xs = sample(boundedPareto(1.2, 0.002, 0.5), 'bp');
    expect(xs.reduce((a, b) => Math.min(a, b))).toBeGreaterThanOrEqual(0.002);
    expect(xs.reduce((a, b) => Math.max(a, b))).toBeLessThanOrEqual(0.5);
    // Median of the truncated law: F(x) = (1 − (L/x)^α) / (1 − (L/H)^α) = 1/2.
    const median = 0.002 * (1 - 0.5 * (1 - (0.002 / 0.5) ** 1.2)) ** (-1 / 1.2);
    expect(quantile(xs, 0.5)).toBeCloseTo(median, 4);
  });

  it('empirical draws each value in proportion to its weight', () => {
    const xs = sample(empirical([1, 2, 3], [1, 2, 7]), 'emp');
    const share = (v: number) => xs.filter((x) => x === v).length / N;
    for (const [v, p] of [
      [1, 0.1],
      [2, 0.2],
      [3, 0.7],
    ] as const)
      expect(Math.abs(share(v) - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / N));
  });
});
