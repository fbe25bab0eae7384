// Shared helpers for the resilience tests: scripted and seeded randomness, and the moments of the capped uniform
// distributions every back-off here draws from, for mean checks with a tolerance of 4 standard errors.
import { expect } from 'vitest';
import type { Rng } from '../../../src/engine/index.ts';
import { seeded as seededStream } from '../../helpers/rng.ts';

export { scripted } from '../../helpers/rng.ts';

/** A fixed-seed stream for a test. */
export const seeded = (name: string, seed = 1): Rng => seededStream(name, seed, 'test/resilience/');

export interface Moments {
  mean: number;
  sd: number;
}

/**
 * Mean and standard deviation of low + min(U·range, cap) with U uniform on [0, 1) and cap ≥ 0: a plain uniform when
 * range ≤ cap, otherwise a uniform on [0, cap) with an atom of (range − cap)/range at cap.
 */
export function cappedUniform(low: number, range: number, cap = Number.POSITIVE_INFINITY): Moments {
  if (range <= cap) return { mean: low + range / 2, sd: range / Math.sqrt(12) };
  const atom = (range - cap) / range;
  const m1 = (cap * cap) / (2 * range) + cap * atom;
  const m2 = (cap * cap * cap) / (3 * range) + cap * cap * atom;
  return { mean: low + m1, sd: Math.sqrt(m2 - m1 * m1) };
}

/** The sample mean of `xs` lies within 4 standard errors of `expected.mean` (a false alarm about once in 16 000). */
export function expectMeanNear(xs: readonly number[], expected: Moments): void {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  expect(Math.abs(mean - expected.mean)).toBeLessThanOrEqual((4 * expected.sd) / Math.sqrt(xs.length) + 1e-12);
}

/** `count` draws of `draw`. */
export function draws(count: number, draw: () => number): number[] {
  return Array.from({ length: count }, draw);
}
