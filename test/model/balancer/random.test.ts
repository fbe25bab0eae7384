// Random: one uniform draw per pick, in proportion to weight when weights differ (Envoy's RANDOM ignores weights:
// `weighted: false`).
import { describe, expect, it } from 'vitest';
import { random } from '../../../src/model/balancer/index.ts';
import { endpoints, expectBinomial, scripted, seeded, tally } from './helpers.ts';

const PICKS = 100_000;

describe('random', () => {
  it('equal weights: each endpoint’s share is 1/n within 4 binomial standard deviations', () => {
    const counts = tally(random(), endpoints(5), seeded('random'), PICKS);
    for (const c of counts) expectBinomial(c, PICKS, 1 / 5);
  });

  it('unequal weights: each endpoint’s share is weight/Σweight within 4 binomial standard deviations', () => {
    const weights = [1, 2, 3, 4];
    const counts = tally(random(), endpoints(4, weights), seeded('random'), PICKS);
    counts.forEach((c, i) => {
      expectBinomial(c, PICKS, weights[i]! / 10);
    });
  });

  it('weighted: false ignores weights, as Envoy RANDOM does', () => {
    const counts = tally(random({ weighted: false }), endpoints(2, [1, 9]), seeded('random'), PICKS);
    for (const c of counts) expectBinomial(c, PICKS, 1 / 2);
  });

  it('one draw u picks the endpoint at ⌊u·n⌋', () => {
    const picker = random();
    const set = endpoints(5);
    expect([0, 0.5, 0.999].map((u) => picker.pick(set, scripted(u)).id)).toEqual([0, 2, 4]);
  });

  it('with weights one draw u picks the first endpoint whose cumulative weight exceeds u·Σweight', () => {
    const picker = random();
    const set = endpoints(2, [1, 3]); // cumulative weights 1 and 4
    expect([0, 0.2499, 0.25, 0.999].map((u) => picker.pick(set, scripted(u)).id)).toEqual([0, 0, 1, 1]);
  });

  it('a zero-weight endpoint is never drawn', () => {
    expect(tally(random(), endpoints(3, [1, 0, 1]), seeded('random'), 10_000)[1]).toBe(0);
  });
});
