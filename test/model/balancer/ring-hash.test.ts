// Ring hash (Ketama): sticky keys, an even spread, and how many keys move when a pod joins or leaves — with Envoy's
// fixed-size ring (points per pod shrink as pods join, istio#41814) and with fixed points per weight.
import { describe, expect, it } from 'vitest';
import { type Endpoint, hashKey, type RingHashOptions, ringHash, xxHash32 } from '../../../src/model/balancer/index.ts';
import { endpoints, scripted } from './helpers.ts';

const KEYS = Array.from({ length: 10_000 }, (_, i) => hashKey(`user-${i}`));
const noDraws = scripted();

/** Owner id of every key, on a fresh ring over `set`. */
function owners(set: readonly Endpoint[], options: RingHashOptions = {}): number[] {
  const picker = ringHash(options);
  return KEYS.map((k) => picker.pick(set, noDraws, k).id);
}

/**
 * A host owning m of a ring's M points holds a Beta(m, M − m) share of the circle (sd √(p(1−p)/(M+1))), and K keys
 * sample it binomially (sd √(p(1−p)/K)); the observed share must be within 4 of the combined sd.
 */
function expectShare(observed: number, p: number, ringPoints: number): void {
  const sd = Math.sqrt((p * (1 - p)) / (ringPoints + 1) + (p * (1 - p)) / KEYS.length);
  expect(Math.abs(observed - p)).toBeLessThanOrEqual(4 * sd);
}

describe('ring hash', () => {
  it('hashKey is xxHash32 of the UTF-8 bytes (vectors from libxxhash 0.8.1)', () => {
    const vectors: [string, number][] = [
      ['', 0x02cc5d05],
      ['a', 0x550d7456],
      ['abc', 0x32d153ff],
      ['Nobody inspects the spammish repetition', 0xe2293b2f],
      ['user-1234567890abcdefghij', 0x634845a4],
      ['héllo wörld ✓ 𝄞', 0x0ae22cee],
    ];
    for (const [text, hash] of vectors) expect(hashKey(text)).toBe(hash);
  });

  it('the same key always maps to the same endpoint, whatever the order of the endpoints', () => {
    const set = endpoints(5);
    const picker = ringHash();
    const first = KEYS.map((k) => picker.pick(set, noDraws, k).id);
    expect(KEYS.map((k) => picker.pick(set, noDraws, k).id)).toEqual(first);
    expect(owners([...set].reverse())).toEqual(first);
  });

  it('a key goes to the first point at or clockwise of it, wrapping past the top', () => {
    const set = endpoints(3);
    const points = set.flatMap((e) => Array.from({ length: Math.ceil(1024 / 3) }, (_, i) => ({ hash: xxHash32(`${e.id}_${i}`), id: e.id })));
    points.sort((a, b) => a.hash - b.hash);
    const picker = ringHash();
    const [lowest, second] = points as [(typeof points)[0], (typeof points)[0]];
    expect(picker.pick(set, noDraws, second.hash).id).toBe(second.id);
    expect(picker.pick(set, noDraws, lowest.hash + 1).id).toBe(second.id);
    expect(picker.pick(set, noDraws, 0xffffffff).id).toBe(lowest.id);
  });

  it('keys spread about evenly over equal-weight endpoints', () => {
    const counts = [0, 0, 0, 0];
    for (const id of owners(endpoints(4))) counts[id]!++;
    for (const c of counts) expectShare(c / KEYS.length, 1 / 4, 1024);
  });

  it('points, and so keys, are shared in proportion to weight', () => {
    const counts = [0, 0];
    for (const id of owners(endpoints(2, [1, 3]))) counts[id]!++;
    expectShare(counts[0]! / KEYS.length, 1 / 4, 1024);
  });

  it('adding one endpoint to N gives it about 1/(N+1) of the keys', () => {
    // Its share of the ring has sd ≈ 1/√(1024/(N+1)) ≈ 7 % relative; ±50 % is beyond 4 sd.
    const n = 4;
    const after = owners(endpoints(n + 1));
    const moved = after.filter((id) => id === n).length / KEYS.length;
    expect(moved).toBeGreaterThanOrEqual(0.5 / (n + 1));
    expect(moved).toBeLessThanOrEqual(1.5 / (n + 1));
  });

  it('with Envoy’s ring sizing, adding an endpoint also moves keys between those that stay (istio#41814)', () => {
    // N = 4 → 5 over 1024 points: each pod drops from 256 to 205 points. A key on a dropped point (rate
    // d = N·51) moves to another old pod when the next surviving point (rate s = N·205, another pod's with
    // probability (N−1)/N) comes before the newcomer's (rate h = 205): d/(s+d+h) · s/(s+h) · (N−1)/N ≈ 0.0996.
    // The dropped arcs sum over 204 points (sd ≈ 7 % relative), so ±50 % is beyond 4 sd.
    const n = 4;
    const [pOld, pNew] = [Math.ceil(1024 / n), Math.ceil(1024 / (n + 1))];
    const [s, d, h] = [n * pNew, n * (pOld - pNew), pNew];
    const theory = (d / (s + d + h)) * (s / (s + h)) * ((n - 1) / n);
    const before = owners(endpoints(n));
    const after = owners(endpoints(n + 1));
    const between = before.filter((id, k) => after[k] !== id && after[k] !== n).length / KEYS.length;
    expect(between).toBeGreaterThanOrEqual(0.5 * theory);
    expect(between).toBeLessThanOrEqual(1.5 * theory);
  });

  it('with Envoy’s ring sizing, removing an endpoint moves all its keys and some of the others’', () => {
    const before = owners(endpoints(5));
    const after = owners(endpoints(5).filter((e) => e.id !== 1));
    expect(before.every((id, k) => id !== 1 || after[k] !== 1)).toBe(true);
    expect(before.some((id, k) => id !== 1 && after[k] !== id)).toBe(true);
  });

  it('with fixed points per weight, adding an endpoint moves keys only to it, about 1/(N+1) of them', () => {
    const n = 4;
    const before = owners(endpoints(n), { pointsPerWeight: 256 });
    const after = owners(endpoints(n + 1), { pointsPerWeight: 256 });
    const moved = before.filter((id, k) => after[k] !== id);
    expect(before.every((id, k) => after[k] === id || after[k] === n)).toBe(true);
    expect(moved.length / KEYS.length).toBeGreaterThanOrEqual(0.5 / (n + 1));
    expect(moved.length / KEYS.length).toBeLessThanOrEqual(1.5 / (n + 1));
  });

  it('with fixed points per weight, removing an endpoint moves only its keys', () => {
    const before = owners(endpoints(5), { pointsPerWeight: 256 });
    const after = owners(
      endpoints(5).filter((e) => e.id !== 1),
      { pointsPerWeight: 256 },
    );
    expect(before.every((id, k) => (id === 1 ? after[k] !== 1 : after[k] === id))).toBe(true);
  });

  it('a request without a key goes to a random point', () => {
    const set = endpoints(5);
    const picker = ringHash();
    for (const u of [0, 0.3, 0.77, 0.999]) {
      expect(picker.pick(set, scripted(u)).id).toBe(picker.pick(set, noDraws, Math.floor(u * 2 ** 32)).id);
    }
  });

  it('update() rebuilds the ring for an array changed in place', () => {
    const set = endpoints(4);
    const picker = ringHash();
    for (const k of KEYS) picker.pick(set, noDraws, k);
    set.splice(0, 1, { id: 9, weight: 1, active: 0 }); // same array, same length: only update() tells
    picker.update?.(set);
    expect(KEYS.map((k) => picker.pick(set, noDraws, k).id)).toEqual(owners(set));
  });
});
