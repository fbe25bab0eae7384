// Linkerd proxy identity refresh (REFERENCE §6.2): 70 % of the remaining lifetime clamped to [10 s, 24 h]; failed
// certifies keep the old expiry (geometric retries, then every 10 s once expired); readiness waits for the first identity.
import { describe, expect, it } from 'vitest';
import {
  LINKERD_IDENTITY_DEFAULTS,
  LinkerdIdentity,
  linkerdIdentityConfig,
  linkerdIssuedWindow,
  linkerdNextRefresh,
  linkerdRefreshAttempts,
} from '../../../src/model/identity/index.ts';
import { HOUR } from './helpers.ts';

const config = linkerdIdentityConfig();
const DAY = 24 * HOUR;

describe('Linkerd refresh schedule', () => {
  it('defaults: 70 %, [10 s, 24 h], issuanceLifetime 24 h, clockSkewAllowance 20 s', () => {
    expect(LINKERD_IDENTITY_DEFAULTS).toEqual({ refreshRatio: 0.7, minRefresh: 10, maxRefresh: DAY, issuanceLifetime: DAY, clockSkewAllowance: 20 });
  });

  it('a fresh 24 h certificate is refreshed after 70 % of it: 16.8 h', () => {
    expect(linkerdNextRefresh(0, DAY, config)).toBeCloseTo(16.8 * HOUR, 9);
    expect(linkerdNextRefresh(1000, 1000 + DAY, config)).toBeCloseTo(1000 + 16.8 * HOUR, 9);
  });

  it('short certificates hit the 10 s floor', () => {
    expect(linkerdNextRefresh(0, 5, config)).toBe(10);
    expect(linkerdNextRefresh(0, 14, config)).toBe(10);
    expect(linkerdNextRefresh(0, 20, config)).toBeCloseTo(14, 9);
  });

  it('long certificates hit the 24 h cap', () => {
    expect(linkerdNextRefresh(0, 30 * DAY, config)).toBe(DAY);
    expect(linkerdNextRefresh(0, DAY / 0.7, config)).toBeCloseTo(DAY, 6);
  });

  it('an expired certificate, or none yet, is retried every 10 s', () => {
    expect(linkerdNextRefresh(DAY, DAY, config)).toBe(DAY + 10);
    expect(linkerdNextRefresh(DAY + 5, DAY, config)).toBe(DAY + 15);
    expect(linkerdNextRefresh(0, Number.NEGATIVE_INFINITY, config)).toBe(10);
  });

  it('failed renewals retry at 70 % of the shrinking remainder (×0.3 each time), then every 10 s after expiry', () => {
    const attempts = linkerdRefreshAttempts(0, [true, ...Array<boolean>(20).fill(false)], config);
    expect(attempts[0]).toEqual({ at: 0, ok: true, notAfter: DAY });
    for (const a of attempts.slice(1)) expect(a.notAfter).toBe(DAY);
    // The k-th failure happens with DAY·0.3^(k−1) left, as long as 70 % of that exceeds 10 s.
    let remaining = DAY;
    let k = 1;
    for (; 0.7 * remaining >= 10; k++) {
      remaining *= 0.3;
      expect(DAY - attempts[k]!.at).toBeCloseTo(remaining, 6);
    }
    // Eight geometric failures: the 8th comes with 86 400·0.3^8 ≈ 5.7 s left; the 10 s floor then steps past expiry.
    expect(k).toBe(9);
    for (let i = k; i < attempts.length; i++) {
      const gap = attempts[i]!.at - attempts[i - 1]!.at;
      if (attempts[i - 1]!.at >= DAY) expect(gap).toBeCloseTo(10, 9);
      else expect(gap).toBeCloseTo(Math.max(10, 0.7 * (DAY - attempts[i - 1]!.at)), 9);
    }
    const expired = attempts.filter((a) => a.at >= DAY);
    expect(expired.length).toBeGreaterThan(5);
  });

  it('readiness is gated on the first certificate and then latched', () => {
    const proxy = new LinkerdIdentity(config, 0);
    expect(proxy.ready).toBe(false);
    expect(proxy.failed(0)).toBe(10);
    expect(proxy.failed(10)).toBe(20);
    expect(proxy.ready).toBe(false);
    expect(proxy.certified(20)).toBeCloseTo(20 + 16.8 * HOUR, 6);
    expect(proxy.ready).toBe(true);
    expect(proxy.hasValidIdentity(20 + DAY - 1)).toBe(true);
    proxy.failed(20 + DAY);
    expect(proxy.ready).toBe(true);
    expect(proxy.hasValidIdentity(20 + DAY)).toBe(false);
  });

  it('issued certificates run 24 h from signing with notBefore backdated by the 20 s allowance', () => {
    expect(linkerdIssuedWindow(1000, config)).toEqual({ notBefore: 980, notAfter: 1000 + DAY });
  });

  it('a refresh ratio outside (0, 1] or a floor above the cap is a configuration error', () => {
    expect(() => linkerdIdentityConfig({ refreshRatio: 0 })).toThrow(RangeError);
    expect(() => linkerdIdentityConfig({ minRefresh: 100, maxRefresh: 10 })).toThrow(RangeError);
  });
});
