// Shared helpers for the balancer tests: endpoint sets, scripted and seeded randomness, pick counting, and the
// binomial tolerance every statistical test uses.
import { expect } from 'vitest';
import type { Rng } from '../../../src/engine/index.ts';
import type { Endpoint, Picker } from '../../../src/model/balancer/index.ts';
import { seeded as seededStream } from '../../helpers/rng.ts';

/** Endpoints with ids 0..n-1, the given weights (default 1) and active requests (default 0). */
export function endpoints(n: number, weights: readonly number[] = [], actives: readonly number[] = []): Endpoint[] {
  return Array.from({ length: n }, (_, id) => ({ id, weight: weights[id] ?? 1, active: actives[id] ?? 0 }));
}

export { scripted } from '../../helpers/rng.ts';

/** A fixed-seed stream for a test. */
export const seeded = (name: string, seed = 1): Rng => seededStream(name, seed, '');

/** Ids of `count` consecutive picks. */
export function sequence<E extends Endpoint>(picker: Picker<E>, set: readonly E[], rng: Rng, count: number): number[] {
  return Array.from({ length: count }, () => picker.pick(set, rng).id);
}

/** How many of `count` picks went to each endpoint, by index of `set` (ids 0..n-1). */
export function tally<E extends Endpoint>(picker: Picker<E>, set: readonly E[], rng: Rng, count: number): number[] {
  const counts: number[] = set.map(() => 0);
  for (let k = 0; k < count; k++) counts[picker.pick(set, rng).id]!++;
  return counts;
}

/**
 * `observed` successes in `trials` are within 4 binomial standard deviations, sqrt(trials·p·(1−p)), of trials·p:
 * a false alarm has probability about 6e-5 per check, and with fixed seeds the tests are deterministic anyway.
 */
export function expectBinomial(observed: number, trials: number, p: number): void {
  const sd = Math.sqrt(trials * p * (1 - p));
  expect(Math.abs(observed - trials * p)).toBeLessThanOrEqual(4 * sd);
}
