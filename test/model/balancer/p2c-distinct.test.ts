// Linkerd/tower P2C: two distinct endpoints drawn uniformly (Floyd), the first kept unless the second is strictly
// less loaded. Unlike Envoy's draws with replacement, the busiest endpoint is never picked.
import { describe, expect, it } from 'vitest';
import { p2cDistinct } from '../../../src/model/balancer/index.ts';
import { endpoints, expectBinomial, scripted, seeded, tally } from './helpers.ts';

describe('P2C over distinct endpoints', () => {
  it('never picks the busiest of n ≥ 2 hosts when all others are strictly less loaded', () => {
    for (let n = 2; n <= 6; n++) {
      const actives = Array.from({ length: n }, (_, i) => (i === n - 1 ? 9 : i % 3));
      expect(tally(p2cDistinct(), endpoints(n, [], actives), seeded(`p2c/${n}`), 20_000)[n - 1]).toBe(0);
    }
  });

  it('the two draws are distinct and every unordered pair comes up with probability 1/C(n,2)', () => {
    const n = 5;
    const picks = 100_000;
    const compared: number[] = [];
    const picker = p2cDistinct({
      metric: (e) => {
        compared.push(e.id);
        return 0;
      },
    });
    const set = endpoints(n);
    const rng = seeded('p2c');
    const pairs = new Map<string, number>();
    let same = 0;
    for (let k = 0; k < picks; k++) {
      compared.length = 0;
      picker.pick(set, rng);
      const [a, b] = compared as [number, number];
      if (a === b) same++;
      const pair = `${Math.min(a, b)}-${Math.max(a, b)}`;
      pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
    }
    expect(same).toBe(0);
    expect(pairs.size).toBe(10);
    for (const count of pairs.values()) expectBinomial(count, picks, 1 / 10);
  });

  it('ties keep the first drawn', () => {
    const set = endpoints(3, [], [1, 1, 1]);
    // First index ⌊u·(n−1)⌋, second ⌊u·n⌋.
    expect(p2cDistinct().pick(set, scripted(0.1, 0.9)).id).toBe(0);
    expect(p2cDistinct().pick(set, scripted(0.6, 0.1)).id).toBe(1);
  });

  it('prefers the strictly less loaded of the two', () => {
    const set = endpoints(3, [], [4, 2, 7]);
    expect(p2cDistinct().pick(set, scripted(0.1, 0.5)).id).toBe(1);
  });

  it('when the two draws collide the first becomes the last endpoint (Floyd)', () => {
    // n = 3: both draws give index 0, so the pair is (2, 0); endpoint 2 is the less loaded.
    const set = endpoints(3, [], [5, 5, 1]);
    expect(p2cDistinct().pick(set, scripted(0.4, 0.1)).id).toBe(2);
  });

  it('a single endpoint is returned without drawing', () => {
    expect(p2cDistinct().pick(endpoints(1), scripted()).id).toBe(0);
  });
});
