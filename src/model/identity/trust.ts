// The trust root and the optional intermediate issuer of generation `n` (a rotation makes the next one). Names stand
// for keys (certificate.ts): each generation has its own subjects, so old and new never vouch for each other.
import type { Certificate } from './certificate.ts';
import type { IdentityConfig } from './config.ts';

/** Root `root-<n>` valid from `notBefore` until `now + rootExpiresIn`. */
export function rootCertificate(generation: number, notBefore: number, now: number, config: IdentityConfig): Certificate {
  const subject = `root-${generation}`;
  return { serial: subject, subject, issuer: subject, notBefore, notAfter: now + config.rootExpiresIn };
}

/** Issuer `issuer-<n>` signed by `root`, or none when the mesh has no intermediate. */
export function issuerCertificate(root: Certificate, notBefore: number, now: number, config: IdentityConfig): Certificate | undefined {
  if (config.issuerExpiresIn === undefined) return undefined;
  const subject = `issuer-${root.subject.slice(5)}`;
  return { serial: subject, subject, issuer: root.subject, notBefore, notAfter: now + config.issuerExpiresIn };
}
