// Shared helpers for the identity tests: scripted and seeded randomness and a terse certificate maker.
import type { Rng } from '../../../src/engine/index.ts';
import type { Certificate } from '../../../src/model/identity/index.ts';
import { seeded as seededStream } from '../../helpers/rng.ts';

export const HOUR = 3600;

export { scripted } from '../../helpers/rng.ts';

/** A fixed-seed stream for a test. */
export const seeded = (name: string, seed = 1): Rng => seededStream(name, seed, 'test/identity/');

/** A certificate `subject` signed by `issuer` (itself when omitted: a root) valid on [notBefore, notAfter). */
export function cert(subject: string, notBefore: number, notAfter: number, issuer = subject): Certificate {
  return { serial: `${subject}@${notBefore}`, subject, issuer, notBefore, notAfter };
}
