// Shared helpers for the identity tests: scripted and seeded randomness and a terse certificate maker.
import { RandomStreams, type Rng } from '../../../src/engine/index.ts';
import type { Certificate } from '../../../src/model/identity/index.ts';

export const HOUR = 3600;

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

/** A fixed-seed stream for a test. */
export function seeded(name: string, seed = 1): Rng {
  return new RandomStreams(seed).stream(`test/identity/${name}`);
}

/** A certificate `subject` signed by `issuer` (itself when omitted: a root) valid on [notBefore, notAfter). */
export function cert(subject: string, notBefore: number, notAfter: number, issuer = subject): Certificate {
  return { serial: `${subject}@${notBefore}`, subject, issuer, notBefore, notAfter };
}
