// Envoy LEAST_REQUEST: with equal weights P2C with replacement (the busiest host still gets 1/n² of picks); with
// unequal weights the EDF schedule over w_eff = weight / (active + 1)^bias.
import { describe, expect, it } from 'vitest';
import { effectiveWeight, leastRequest, roundRobin } from '../../../src/model/balancer/index.ts';
import { endpoints, expectBinomial, scripted, seeded, sequence, tally } from './helpers.ts';

const PICKS = 200_000;

describe('least request, equal weights (P2C with replacement)', () => {
  it('a host drawn twice is returned even when it is the busiest', () => {
    const set = endpoints(3, [], [0, 0, 9]);
    expect(leastRequest().pick(set, scripted(0.9, 0.9)).id).toBe(2);
  });

  it('strict <: the first drawn keeps ties', () => {
    const set = endpoints(3, [], [1, 1, 1]);
    expect(leastRequest().pick(set, scripted(0.1, 0.5)).id).toBe(0);
    expect(leastRequest().pick(set, scripted(0.5, 0.1)).id).toBe(1);
  });

  it('prefers the less loaded of the two drawn', () => {
    const set = endpoints(3, [], [5, 1, 0]);
    expect(leastRequest().pick(set, scripted(0.1, 0.5)).id).toBe(1);
    expect(leastRequest().pick(set, scripted(0.5, 0.1)).id).toBe(1);
  });

  it('the busiest of n hosts gets 1/n² of picks when all others are less loaded', () => {
    // It wins only when both independent draws hit it: p = 1/16 for n = 4.
    const counts = tally(leastRequest(), endpoints(4, [], [1, 1, 1, 5]), seeded('lr'), PICKS);
    expectBinomial(counts[3]!, PICKS, 1 / 16);
  });

  it('choiceCount 3 picks the least loaded of three draws', () => {
    const set = endpoints(4, [], [3, 2, 1, 0]);
    expect(leastRequest({ choiceCount: 3 }).pick(set, scripted(0.1, 0.3, 0.6)).id).toBe(2);
    // The busiest now needs all three draws: p = 1/4³.
    const counts = tally(leastRequest({ choiceCount: 3 }), endpoints(4, [], [1, 1, 1, 5]), seeded('lr'), PICKS);
    expectBinomial(counts[3]!, PICKS, 1 / 64);
  });

  it('the load metric is pluggable', () => {
    const set = endpoints(2, [], [0, 9]);
    const inverse = leastRequest({ metric: (e) => -e.active });
    expect(inverse.pick(set, scripted(0.1, 0.9)).id).toBe(1);
  });

  it('rejects a choiceCount below 2 and a negative bias', () => {
    expect(() => leastRequest({ choiceCount: 1 })).toThrow(RangeError);
    expect(() => leastRequest({ choiceCount: 2.5 })).toThrow(RangeError);
    expect(() => leastRequest({ activeRequestBias: -1 })).toThrow(RangeError);
  });
});

describe('least request, unequal weights (EDF over dynamic weights)', () => {
  it('the dynamic weight is weight / (active + 1)^bias', () => {
    expect(effectiveWeight(2, 3, 1)).toBe(0.5);
    expect(effectiveWeight(1, 0, 1)).toBe(1);
    expect(effectiveWeight(2, 3, 2)).toBe(0.125);
    expect(effectiveWeight(2, 3, 0.5)).toBe(1);
    expect(effectiveWeight(2, 3, 0)).toBe(2);
  });

  it('weights 1 and 2 with no active requests share each cycle of 3 picks 1:2', () => {
    const picker = leastRequest({ randomStart: false });
    const set = endpoints(2, [1, 2]);
    for (let cycle = 0; cycle < 100; cycle++) expect(tally(picker, set, scripted(), 3)).toEqual([1, 2]);
  });

  it('weights 2 and 1 with 3 and 0 active requests share picks as w_eff 0.5 : 1', () => {
    const picker = leastRequest({ randomStart: false });
    const set = endpoints(2, [2, 1], [3, 0]);
    for (let cycle = 0; cycle < 100; cycle++) expect(tally(picker, set, scripted(), 3)).toEqual([1, 2]);
  });

  it('a new load counts from the endpoint’s next queueing, just after its pick (Envoy pickAndAdd)', () => {
    // Weights 2 and 1, idle: due at 1/2 and 1. Without load the schedule runs 0, 1, 0, 0, 1.
    expect(sequence(leastRequest({ randomStart: false }), endpoints(2, [2, 1]), scripted(), 5)).toEqual([0, 1, 0, 0, 1]);
    // Endpoint 0 takes 3 requests after its first pick: it was already queued again at 1, so it still comes third;
    // only then is it queued with w_eff = 2/4, due 2 later, and endpoint 1 goes in between.
    const picker = leastRequest({ randomStart: false });
    const set = endpoints(2, [2, 1]);
    const ids = [picker.pick(set, scripted()).id];
    set[0]!.active = 3;
    ids.push(...sequence(picker, set, scripted(), 4));
    expect(ids).toEqual([0, 1, 0, 1, 0]);
  });

  it('activeRequestBias 0 behaves as weighted round robin whatever the load', () => {
    const set = endpoints(4, [1, 2, 3, 5]);
    const lr = leastRequest({ activeRequestBias: 0 });
    const rr = roundRobin();
    const lrRng = seeded('lb');
    const rrRng = seeded('lb');
    const load = seeded('load');
    for (let k = 0; k < 1000; k++) {
      for (const e of set) e.active = Math.floor(load.next() * 10);
      expect(lr.pick(set, lrRng).id).toBe(rr.pick(set, rrRng).id);
    }
  });
});
