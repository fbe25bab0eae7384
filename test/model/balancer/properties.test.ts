// Invariants every policy keeps, over arbitrary endpoint sets, loads, weights, keys and set changes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Reseedable } from '../../../src/engine/index.ts';
import { type Endpoint, type PolicyName, pickers, roundRobin } from '../../../src/model/balancer/index.ts';

const endpoint = fc.record({
  id: fc.integer({ min: 0, max: 1000 }),
  weight: fc.constantFrom(1, 1, 2, 3, 0.5, 10),
  active: fc.integer({ min: 0, max: 20 }),
});
const endpointSet = fc.uniqueArray(endpoint, { minLength: 1, maxLength: 12, selector: (e) => e.id });
const key = fc.option(fc.integer({ min: 0, max: 0xffffffff }), { nil: undefined });
const names = Object.keys(pickers) as PolicyName[];

describe('every policy', () => {
  it('returns one of the given endpoints for any non-empty set, also as the set changes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.array(fc.tuple(endpointSet, fc.array(key, { minLength: 1, maxLength: 20 })), { minLength: 1, maxLength: 5 }),
        fc.integer(),
        (name, phases, seed) => {
          const picker = pickers[name]();
          const rng = new Reseedable().reset(seed);
          for (const [set, keys] of phases) {
            for (const k of keys) expect(set).toContain(picker.pick(set, rng, k));
          }
        },
      ),
    );
  });

  it('weighted round robin gives each endpoint exactly its integer weight in every full cycle', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 8 }), (weights) => {
        const set: Endpoint[] = weights.map((weight, id) => ({ id, weight, active: 0 }));
        const picker = roundRobin({ randomStart: false });
        const rng = new Reseedable().reset(1);
        const cycle = weights.reduce((a, b) => a + b, 0);
        for (let round = 0; round < 5; round++) {
          const counts = weights.map(() => 0);
          for (let k = 0; k < cycle; k++) counts[picker.pick(set, rng).id]!++;
          expect(counts).toEqual(weights);
        }
      }),
    );
  });
});
