// Named random streams. Each owner and purpose draws from its own stream, derived from the scenario
// seed and the stream's name with seedrandom (Alea), so adding a stream never shifts another one and
// variants of a scenario see the same arrivals (common random numbers).
import seedrandom from 'seedrandom';

/** A source of uniform numbers in [0, 1). */
export interface Rng {
  next(): number;
}

class AleaStream implements Rng {
  private readonly prng: seedrandom.PRNG;
  constructor(seed: string) {
    this.prng = seedrandom.alea(seed);
  }
  next(): number {
    return this.prng();
  }
  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    return this.prng.int32() >>> 0;
  }
}

export type Stream = AleaStream;

export class RandomStreams {
  private readonly made = new Set<string>();
  readonly seed: number;

  constructor(seed: number) {
    this.seed = seed;
  }

  /** The stream for `name` (e.g. `client/frontend/0/arrivals`). A name may be taken only once per run. */
  stream(name: string): Stream {
    if (this.made.has(name)) throw new Error(`random stream "${name}" was already taken: each owner needs its own name`);
    this.made.add(name);
    return new AleaStream(`meshsim:${this.seed}:${name}`);
  }
}

/**
 * A small generator that can be re-seeded for free: a request carries a 32-bit seed drawn from its
 * caller's stream, and whoever serves it draws that request's own numbers (its demand) from here.
 * So the same request needs the same work whichever pod serves it. Mulberry32 (Tommy Ettinger, 2017).
 */
export class Reseedable implements Rng {
  private state = 0;

  reset(seed: number): this {
    this.state = seed | 0;
    return this;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** Derives the seed of replication `r` from the scenario seed (replication 0 uses the seed itself). */
export function replicationSeed(seed: number, r: number): number {
  if (r === 0) return seed >>> 0;
  return seedrandom.alea(`meshsim-replication:${seed}:${r}`).int32() >>> 0;
}

/** Mixes two 32-bit values into a well-spread 32-bit seed (murmur3's finaliser over a combination). */
export function mixSeed(a: number, b: number): number {
  let h = (a ^ Math.imul(b + 0x9e3779b9, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
