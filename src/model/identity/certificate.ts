// X.509 validity as the mesh sees it: a certificate's window, a leaf → optional intermediate → trusted-root chain, and
// the two checks of an mTLS handshake. REFERENCE §6.1: certificates are checked at handshake time only; an established
// connection is never re-checked, so expiry breaks *new* connections while long-lived H2 connections run on (§7 says
// what ends them: idle timeout, max connection age, GOAWAY, pod restart). Times are in seconds of virtual time.

export interface Certificate {
  /** Unique per issuance. */
  readonly serial: string;
  /** The name this certificate certifies (a SPIFFE id, an intermediate's or a root's name). */
  readonly subject: string;
  /**
   * The subject of the certificate that signed it; a root names itself. Names stand for keys here: a rotated root
   * needs a new subject (e.g. `root-2027`), otherwise old and new roots would vouch for each other's leaves.
   */
  readonly issuer: string;
  readonly notBefore: number;
  readonly notAfter: number;
}

/** What a workload presents: its leaf and, when the CA is an intermediate, the intermediate. */
export interface CertificateChain {
  readonly leaf: Certificate;
  readonly intermediate?: Certificate;
}

export type ChainFailure = 'not-yet-valid' | 'expired' | 'untrusted' | 'broken-chain';

export type ChainVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: ChainFailure /** The certificate at fault. */; readonly serial: string };

const OK = Object.freeze({ ok: true as const });

/**
 * Valid on [notBefore − skewAllowance, notAfter + skewAllowance): expiry bites at notAfter (plus the allowance), never
 * before. Go's crypto/x509 treats notAfter itself as still valid; at one-second certificate resolution the half-open
 * window differs by one instant and keeps "breaks at notAfter" exact.
 */
export function validAt(cert: Certificate, now: number, skewAllowance = 0): boolean {
  return now >= cert.notBefore - skewAllowance && now < cert.notAfter + skewAllowance;
}

function windowFailure(cert: Certificate, now: number, skew: number): ChainVerdict | undefined {
  if (validAt(cert, now, skew)) return undefined;
  return { ok: false, reason: now < cert.notBefore - skew ? 'not-yet-valid' : 'expired', serial: cert.serial };
}

/**
 * Checks leaf → optional intermediate → a root of `roots` (the trust bundle; "trusted" means present in it). Each link
 * is by name (issuer = signer's subject) and every certificate, the root included, must be valid at `now` ± `skew`.
 */
export function verifyChain(leaf: Certificate, issuerCert: Certificate | undefined, roots: readonly Certificate[], now: number, skew = 0): ChainVerdict {
  const leafFailure = windowFailure(leaf, now, skew);
  if (leafFailure) return leafFailure;
  let top = leaf;
  if (issuerCert) {
    if (leaf.issuer !== issuerCert.subject) return { ok: false, reason: 'broken-chain', serial: leaf.serial };
    const issuerFailure = windowFailure(issuerCert, now, skew);
    if (issuerFailure) return issuerFailure;
    top = issuerCert;
  }
  const anchors = roots.filter((root) => root.subject === top.issuer);
  if (anchors.length === 0) return { ok: false, reason: 'untrusted', serial: top.serial };
  // A bundle may hold an expired and a renewed root under the same name: any valid one anchors the chain.
  const live = anchors.find((root) => validAt(root, now, skew));
  return live ? OK : { ok: false, reason: 'expired', serial: anchors[0]!.serial };
}

/** `verifyChain(...).ok`. */
export function chainValid(leaf: Certificate, issuerCert: Certificate | undefined, roots: readonly Certificate[], now: number, skew = 0): boolean {
  return verifyChain(leaf, issuerCert, roots, now, skew).ok;
}

/** One trust bundle for the whole mesh, or each side's own (they differ while a new root propagates). */
export type Trust = readonly Certificate[] | { readonly client: readonly Certificate[]; readonly server: readonly Certificate[] };

export type HandshakeVerdict =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** Who rejected: the server rejects the client's chain, the client the server's. */
      readonly rejectedBy: 'client' | 'server';
      readonly reason: ChainFailure;
      readonly serial: string;
    };

/**
 * mTLS: the server verifies the client's chain on the server's clock (now + serverSkew) against its bundle, then the
 * client verifies the server's on its own clock (now + clientSkew). `clientSkew`/`serverSkew` are the nodes' clock
 * offsets; `skewAllowance` is the validation slack (Linkerd `clockSkewAllowance`, §6.2; 0 for Istio). Only the
 * handshake checks certificates: a connection that is up stays up past any expiry (§6.1).
 */
export function handshake(
  clientChain: CertificateChain,
  serverChain: CertificateChain,
  trust: Trust,
  now: number,
  clientSkew = 0,
  serverSkew = 0,
  skewAllowance = 0,
): HandshakeVerdict {
  const bundles = isBundle(trust) ? { client: trust, server: trust } : trust;
  const byServer = verifyChain(clientChain.leaf, clientChain.intermediate, bundles.server, now + serverSkew, skewAllowance);
  if (!byServer.ok) return { ok: false, rejectedBy: 'server', reason: byServer.reason, serial: byServer.serial };
  const byClient = verifyChain(serverChain.leaf, serverChain.intermediate, bundles.client, now + clientSkew, skewAllowance);
  if (!byClient.ok) return { ok: false, rejectedBy: 'client', reason: byClient.reason, serial: byClient.serial };
  return OK;
}

/** `handshake(...).ok`. */
export function handshakeOk(
  clientChain: CertificateChain,
  serverChain: CertificateChain,
  trust: Trust,
  now: number,
  clientSkew = 0,
  serverSkew = 0,
  skewAllowance = 0,
): boolean {
  return handshake(clientChain, serverChain, trust, now, clientSkew, serverSkew, skewAllowance).ok;
}

function isBundle(trust: Trust): trust is readonly Certificate[] {
  return Array.isArray(trust);
}
