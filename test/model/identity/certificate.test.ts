// Certificate validity windows, chains through an intermediate to a trusted root, and mTLS handshakes across clock
// skew and root rotation (REFERENCE §6.1, §6.2).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chainValid, handshake, handshakeOk, validAt, verifyChain } from '../../../src/model/identity/index.ts';
import { cert, HOUR } from './helpers.ts';

const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

describe('validity window', () => {
  const leaf = cert('spiffe://a', 1000, 1000 + DAY, 'root');

  it('expiry breaks validation at notAfter and not before', () => {
    expect(validAt(leaf, 1000 + DAY - 1e-6)).toBe(true);
    expect(validAt(leaf, 1000 + DAY)).toBe(false);
  });

  it('with a skew allowance expiry bites at notAfter + allowance (Linkerd clockSkewAllowance 20 s)', () => {
    expect(validAt(leaf, 1000 + DAY + 19.999, 20)).toBe(true);
    expect(validAt(leaf, 1000 + DAY + 20, 20)).toBe(false);
  });

  it('a certificate is not valid before notBefore (− allowance)', () => {
    expect(validAt(leaf, 999.999)).toBe(false);
    expect(validAt(leaf, 1000)).toBe(true);
    expect(validAt(leaf, 980, 20)).toBe(true);
    expect(validAt(leaf, 979.999, 20)).toBe(false);
  });

  it('once expired a certificate stays expired; the window is an interval (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (t, later, skew) => {
          if (!validAt(leaf, t, skew) && t >= leaf.notAfter) expect(validAt(leaf, t + later, skew)).toBe(false);
          if (validAt(leaf, t, skew)) expect(t >= leaf.notBefore - skew && t < leaf.notAfter + skew).toBe(true);
        },
      ),
    );
  });
});

describe('chains', () => {
  const root = cert('root', 0, 10 * YEAR);
  const intermediate = cert('intermediate', 0, YEAR, 'root');
  const leaf = cert('spiffe://a', YEAR - HOUR, YEAR - HOUR + DAY, 'intermediate');

  it('a leaf signed by an intermediate signed by a trusted root is valid', () => {
    expect(chainValid(leaf, intermediate, [root], YEAR - 1)).toBe(true);
    expect(chainValid(cert('spiffe://b', 0, DAY, 'root'), undefined, [root], 10)).toBe(true);
  });

  it('intermediate expiry breaks the chain while the leaf is still valid', () => {
    expect(validAt(leaf, YEAR)).toBe(true);
    expect(verifyChain(leaf, intermediate, [root], YEAR)).toEqual({ ok: false, reason: 'expired', serial: intermediate.serial });
  });

  it('root expiry breaks the chain', () => {
    const shortRoot = cert('root', 0, 100);
    const direct = cert('spiffe://b', 50, 50 + DAY, 'root');
    expect(chainValid(direct, undefined, [shortRoot], 99)).toBe(true);
    expect(verifyChain(direct, undefined, [shortRoot], 100)).toEqual({ ok: false, reason: 'expired', serial: shortRoot.serial });
  });

  it('a root missing from the trust bundle leaves the chain untrusted', () => {
    expect(verifyChain(leaf, intermediate, [cert('other-root', 0, YEAR)], 10).ok).toBe(false);
    expect(verifyChain(leaf, intermediate, [], YEAR - 1)).toMatchObject({ ok: false, reason: 'untrusted' });
  });

  it('an intermediate that did not sign the leaf breaks the chain', () => {
    expect(verifyChain(leaf, cert('other-intermediate', 0, YEAR, 'root'), [root], YEAR - 1)).toMatchObject({ ok: false, reason: 'broken-chain' });
  });
});

describe('handshakes', () => {
  const root = cert('root', 0, 10 * YEAR);
  const client = { leaf: cert('spiffe://client', 0, DAY, 'root') };
  const server = { leaf: cert('spiffe://server', 3600, 3600 + DAY, 'root') };

  it('both sides validate the other: the server rejects an expired client, the client an expired server', () => {
    expect(handshakeOk(client, server, [root], DAY - 1)).toBe(true);
    expect(handshake(client, server, [root], DAY)).toMatchObject({ ok: false, rejectedBy: 'server', reason: 'expired' });
    expect(handshake(server, client, [root], DAY)).toMatchObject({ ok: false, rejectedBy: 'client', reason: 'expired' });
  });

  it('each side judges on its own clock: a server 30 s fast rejects a client certificate 10 s before it expires', () => {
    expect(handshakeOk(client, server, [root], DAY - 10, 0, 0)).toBe(true);
    expect(handshake(client, server, [root], DAY - 10, 0, 30)).toMatchObject({ ok: false, rejectedBy: 'server' });
    // A client 30 s slow sees a server certificate that is not yet valid.
    expect(handshake(client, server, [root], 3600 + 10, -30, 0)).toMatchObject({ ok: false, rejectedBy: 'client', reason: 'not-yet-valid' });
  });

  it("Linkerd's 20 s clockSkewAllowance accepts a certificate a skewed clock sees 15 s past expiry, not 25 s", () => {
    expect(handshakeOk(client, server, [root], DAY - 10, 0, 15 + 10, 20)).toBe(true);
    expect(handshakeOk(client, server, [root], DAY - 10, 0, 25 + 10, 20)).toBe(false);
  });
});

describe('root rotation', () => {
  const oldRoot = cert('root-2026', 0, 10 * YEAR);
  const newRoot = cert('root-2027', YEAR, 11 * YEAR);
  const now = YEAR + DAY;
  const holdsOld = { leaf: cert('spiffe://a', now - HOUR, now + 23 * HOUR, 'root-2026') };
  const holdsNew = { leaf: cert('spiffe://b', now - HOUR, now + 23 * HOUR, 'root-2027') };

  it('a planned rotation with an overlap (both roots trusted) keeps handshakes working between old and new certs', () => {
    const bundle = [oldRoot, newRoot];
    expect(handshakeOk(holdsOld, holdsNew, bundle, now)).toBe(true);
    expect(handshakeOk(holdsNew, holdsOld, bundle, now)).toBe(true);
  });

  it('an abrupt switch breaks handshakes between workloads holding old and new certs', () => {
    // Everyone trusts only the new root: old-cert holders are rejected by everybody.
    expect(handshake(holdsOld, holdsNew, [newRoot], now)).toMatchObject({ ok: false, rejectedBy: 'server', reason: 'untrusted' });
    expect(handshake(holdsNew, holdsOld, [newRoot], now)).toMatchObject({ ok: false, rejectedBy: 'client', reason: 'untrusted' });
    expect(handshakeOk(holdsNew, holdsNew, [newRoot], now)).toBe(true);
    // Bundles that moved at different times: each side rejects the other.
    expect(handshakeOk(holdsOld, holdsNew, { client: [oldRoot], server: [newRoot] }, now)).toBe(false);
  });
});
