// Randomness for unit tests: an Rng that returns scripted values, and a fixed-seed named stream.
import { RandomStreams, type Rng } from '../../src/engine/index.ts';

/** An Rng returning `values` in order; drawing past the end is a test failure. */
export function scripted(...values: number[]): Rng {
  let i = 0;
  return {
    next() {
      if (i >= values.length) throw new Error(`scripted rng exhausted after ${values.length} draws`);
      return values[i++]!;
    },
  };
}

/** A fixed-seed stream for a test, named `prefix + name`. */
export function seeded(name: string, seed = 1, prefix = ''): Rng {
  return new RandomStreams(seed).stream(`${prefix}${name}`);
}
