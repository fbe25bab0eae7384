// Ring hash (Ketama), Envoy RING_HASH (ring_hash_lb.cc `Ring::Ring`, `chooseHost`): each endpoint owns points on a
// 32-bit ring, hashed from `${id}_${i}` with xxHash32 (Envoy: xxHash64 of `address_i`); a request goes to the first
// point at or clockwise of its key. Envoy sizes the ring, not the endpoint: ⌈minRingSize·weight/Σweight⌉ points each,
// so a resize also moves points between the pods that stay (istio#41814). `pointsPerWeight` fixes them instead.
import type { Rng } from '../../engine/index.ts';
import type { Endpoint, Picker } from './types.ts';
import { xxHash32 } from './xxhash32.ts';

export interface RingHashOptions {
  /** Points on the whole ring, shared in proportion to weight (Envoy `minimum_ring_size`; Istio default 1024). */
  minRingSize?: number;
  /** When set, each endpoint gets ⌈pointsPerWeight·weight⌉ points whatever the others (classic Ketama). */
  pointsPerWeight?: number;
}

/** The 32-bit ring key of a request from the value it is hashed on (a header, a cookie, the source IP). */
export function hashKey(text: string): number {
  return xxHash32(text);
}

export function ringHash<E extends Endpoint = Endpoint>(options: RingHashOptions = {}): Picker<E> {
  const minRingSize = options.minRingSize ?? 1024;
  const pointsPerWeight = options.pointsPerWeight;
  if (!(minRingSize >= 1)) throw new RangeError(`minRingSize must be ≥ 1, not ${minRingSize}`);
  if (pointsPerWeight !== undefined && !(pointsPerWeight > 0)) throw new RangeError(`pointsPerWeight must be > 0, not ${pointsPerWeight}`);
  const pointsOf = pointsPerWeight === undefined ? sharedRing(minRingSize) : (weight: number) => Math.ceil(pointsPerWeight * weight);
  return new RingHash<E>(pointsOf);
}

/** Envoy's sizing: the ring has about `size` points, each endpoint its weight's share. */
function sharedRing(size: number): (weight: number, total: number) => number {
  return (weight, total) => Math.ceil((size * weight) / total);
}

class RingHash<E extends Endpoint> implements Picker<E> {
  private readonly pointsOf: (weight: number, total: number) => number;
  private known: readonly E[] | undefined;
  private size = 0;
  /** Point hashes in ascending order, and the endpoint owning each. */
  private hashes = new Uint32Array(0);
  private owners: E[] = [];

  constructor(pointsOf: (weight: number, total: number) => number) {
    this.pointsOf = pointsOf;
  }

  pick(endpoints: readonly E[], rng: Rng, key?: number): E {
    if (endpoints !== this.known || endpoints.length !== this.size) this.build(endpoints);
    const h = key === undefined ? Math.floor(rng.next() * 4294967296) : key >>> 0;
    const hashes = this.hashes;
    let lo = 0;
    let hi = hashes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (hashes[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    return this.owners[lo === hashes.length ? 0 : lo]!;
  }

  update(): void {
    this.known = undefined;
  }

  private build(endpoints: readonly E[]): void {
    let total = 0;
    for (const e of endpoints) total += e.weight;
    const points: { hash: number; owner: E }[] = [];
    for (const owner of endpoints) {
      const count = this.pointsOf(owner.weight, total);
      for (let i = 0; i < count; i++) points.push({ hash: xxHash32(`${owner.id}_${i}`), owner });
    }
    // Ties (rare with 32-bit hashes) go by id, so the ring does not depend on the order of `endpoints`.
    points.sort((a, b) => a.hash - b.hash || a.owner.id - b.owner.id);
    this.hashes = Uint32Array.from(points, (p) => p.hash);
    this.owners = points.map((p) => p.owner);
    this.known = endpoints;
    this.size = endpoints.length;
  }
}
