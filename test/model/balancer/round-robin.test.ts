// Round robin: plain rotation for equal weights, Envoy's EDF schedule for unequal ones, a random start, and a
// place in the rotation that survives changes to the endpoint set.
import { describe, expect, it } from 'vitest';
import { roundRobin } from '../../../src/model/balancer/index.ts';
import { endpoints, scripted, seeded, sequence, tally } from './helpers.ts';

describe('round robin', () => {
  it('plain rotation gives each of n endpoints exactly k picks in k·n picks', () => {
    const set = endpoints(5);
    expect(tally(roundRobin(), set, seeded('rr'), 7 * 5)).toEqual([7, 7, 7, 7, 7]);
  });

  it('plain rotation visits the endpoints in order, one after the other', () => {
    const ids = sequence(roundRobin(), endpoints(4), seeded('rr'), 12);
    for (let k = 1; k < ids.length; k++) expect(ids[k]).toBe((ids[k - 1]! + 1) % 4);
  });

  it('starts at the first endpoint when randomStart is false', () => {
    expect(sequence(roundRobin({ randomStart: false }), endpoints(3), scripted(), 5)).toEqual([0, 1, 2, 0, 1]);
  });

  it('a random start draws its phase once, at the first pick', () => {
    // u = 0.5 of 4 endpoints starts at index 2; the scripted rng fails if any later pick draws again.
    expect(sequence(roundRobin(), endpoints(4), scripted(0.5), 6)).toEqual([2, 3, 0, 1, 2, 3]);
  });

  it('weights 1, 2, 3 share each full cycle of 6 picks 1:2:3 (EDF)', () => {
    const picker = roundRobin({ randomStart: false });
    const set = endpoints(3, [1, 2, 3]);
    // Deadlines k/w: 1/3 (id 2), 1/2 (id 1), 2/3 (id 2), then 1 for all three, taken in the order they were queued.
    expect(sequence(picker, set, scripted(), 6)).toEqual([2, 1, 2, 0, 1, 2]);
    for (let cycle = 0; cycle < 100; cycle++) expect(tally(picker, set, scripted(), 6)).toEqual([1, 2, 3]);
  });

  it('equal deadlines go to the endpoint queued first (Envoy EDF order_offset)', () => {
    // Weights 2 and 4: b is due at 1/4; at 1/2 a (queued at the build) goes before b (queued again at 1/4); and so on.
    const ids = sequence(roundRobin({ randomStart: false }), endpoints(2, [2, 4]), scripted(), 14);
    expect(ids.map((id) => 'ab'[id]).join('')).toBe('babbabbabbabba');
  });

  it('a random start keeps the weighted shares over the following full cycles', () => {
    const picker = roundRobin();
    const set = endpoints(3, [1, 2, 3]);
    const rng = seeded('rr');
    const first = sequence(picker, set, rng, 6);
    expect(tally(picker, set, rng, 600)).toEqual([100, 200, 300]);
    expect(first).not.toEqual([2, 1, 2, 0, 1, 2]); // this seed does start elsewhere in the cycle
  });

  it('adding an endpoint keeps the place in the rotation', () => {
    const picker = roundRobin({ randomStart: false });
    const set = endpoints(3);
    expect(sequence(picker, set, scripted(), 2)).toEqual([0, 1]);
    const grown = [{ id: 3, weight: 1, active: 0 }, ...set];
    picker.update?.(grown);
    expect(sequence(picker, grown, scripted(), 4)).toEqual([2, 3, 0, 1]);
  });

  it('removing the endpoint due next goes on with the one now in its place', () => {
    const picker = roundRobin({ randomStart: false });
    const set = endpoints(4);
    expect(sequence(picker, set, scripted(), 2)).toEqual([0, 1]);
    const shrunk = set.filter((e) => e.id !== 2);
    expect(sequence(picker, shrunk, scripted(), 3)).toEqual([3, 0, 1]);
  });

  it('weighted endpoints that stay keep their deadlines when one joins', () => {
    const picker = roundRobin({ randomStart: false });
    const set = endpoints(3, [1, 2, 3]);
    expect(sequence(picker, set, scripted(), 6)).toEqual([2, 1, 2, 0, 1, 2]);
    // At time 1 the newcomer (weight 3) is first due at 1 + 1/3, with id 2: both go twice before the others' 2.
    const grown = [...set, { id: 3, weight: 3, active: 0 }];
    expect(sequence(picker, grown, scripted(), 9)).toEqual([2, 3, 1, 2, 3, 0, 1, 2, 3]);
    expect(tally(picker, grown, scripted(), 900)).toEqual([100, 200, 300, 300]);
  });

  it('update() re-reads an array whose weights changed in place', () => {
    const picker = roundRobin({ randomStart: false });
    const set = endpoints(2);
    sequence(picker, set, scripted(), 2);
    set[1]!.weight = 3;
    picker.update?.(set);
    expect(tally(picker, set, scripted(), 400)).toEqual([100, 300]);
  });
});
