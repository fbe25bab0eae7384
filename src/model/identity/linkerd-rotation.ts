// Linkerd's proxy identity refresh (REFERENCE §6.2; linkerd2-proxy `identity-client/src/certify.rs`, `env.rs`): the
// next certify runs after 70 % of the time left until expiry, clamped to [10 s, 24 h]. A failed certify keeps the old
// expiry, so retries come at 70 % of a shrinking remainder, then every 10 s once expired. Before the first identity the
// expiry is "the epoch", so a proxy that cannot certify retries every 10 s and never passes readiness.
import type { RenewalSchedule } from './renewal-schedule.ts';

export interface LinkerdIdentityConfig {
  /** Share of the remaining lifetime waited before refreshing. */
  readonly refreshRatio: number;
  /** Seconds; also the retry period once expired or before the first identity. */
  readonly minRefresh: number;
  /** Seconds. */
  readonly maxRefresh: number;
  /** Issuer `issuanceLifetime`, seconds (chart default 24h0m0s). */
  readonly issuanceLifetime: number;
  /** Issuer `clockSkewAllowance`, seconds (chart default 20 s). */
  readonly clockSkewAllowance: number;
}

export const LINKERD_IDENTITY_DEFAULTS: LinkerdIdentityConfig = Object.freeze({
  refreshRatio: 0.7,
  minRefresh: 10,
  maxRefresh: 24 * 3600,
  issuanceLifetime: 24 * 3600,
  clockSkewAllowance: 20,
});

/** Defaults filled in and checked once. */
export function linkerdIdentityConfig(options: Partial<LinkerdIdentityConfig> = {}): LinkerdIdentityConfig {
  const config = { ...LINKERD_IDENTITY_DEFAULTS, ...options };
  if (!(config.refreshRatio > 0 && config.refreshRatio <= 1)) throw new RangeError(`refreshRatio must be in (0, 1], not ${config.refreshRatio}`);
  if (!(config.minRefresh > 0 && config.maxRefresh >= config.minRefresh)) {
    throw new RangeError(`need 0 < minRefresh ≤ maxRefresh, not ${config.minRefresh} and ${config.maxRefresh}`);
  }
  if (!(config.issuanceLifetime > 0)) throw new RangeError(`issuanceLifetime must be > 0, not ${config.issuanceLifetime}`);
  if (!(config.clockSkewAllowance >= 0)) throw new RangeError(`clockSkewAllowance must be ≥ 0, not ${config.clockSkewAllowance}`);
  return config;
}

/** When the proxy certifies next, at `now` holding a certificate valid until `notAfter` (−∞: none yet). */
export function linkerdNextRefresh(now: number, notAfter: number, config: LinkerdIdentityConfig): number {
  const remaining = notAfter - now;
  if (!(remaining > 0)) return now + config.minRefresh;
  return now + Math.min(Math.max(config.refreshRatio * remaining, config.minRefresh), config.maxRefresh);
}

/**
 * The window the identity controller signs at `at`: [at − clockSkewAllowance, at + issuanceLifetime]. An assumption:
 * the allowance backdates notBefore (for proxies whose clocks run behind); §6.2 gives only its value.
 */
export function linkerdIssuedWindow(at: number, config: LinkerdIdentityConfig): { notBefore: number; notAfter: number } {
  return { notBefore: at - config.clockSkewAllowance, notAfter: at + config.issuanceLifetime };
}

/** One proxy's certify loop as state: feed it each attempt's outcome, read when the next one runs. */
export class LinkerdIdentity {
  readonly config: LinkerdIdentityConfig;
  /** Expiry of the current certificate; −∞ before the first. Failures leave it alone. */
  notAfter = Number.NEGATIVE_INFINITY;
  /** Time of the next certify attempt. */
  nextAttempt: number;
  /** Readiness latch: false until the first certificate arrives, then true for good. */
  ready = false;

  constructor(config: LinkerdIdentityConfig, start: number) {
    this.config = config;
    this.nextAttempt = start;
  }

  /** A certify at `now` succeeded with a certificate valid until `notAfter` (default: now + issuanceLifetime). */
  certified(now: number, notAfter = linkerdIssuedWindow(now, this.config).notAfter): number {
    this.notAfter = notAfter;
    this.ready = true;
    this.nextAttempt = linkerdNextRefresh(now, notAfter, this.config);
    return this.nextAttempt;
  }

  /** A certify at `now` failed: the old expiry stays. */
  failed(now: number): number {
    this.nextAttempt = linkerdNextRefresh(now, this.notAfter, this.config);
    return this.nextAttempt;
  }

  /** Whether the proxy holds a certificate that is still valid at `now` (no skew: its own clock). */
  hasValidIdentity(now: number): boolean {
    return now < this.notAfter;
  }
}

export interface CertifyAttempt {
  readonly at: number;
  readonly ok: boolean;
  /** The proxy's expiry after this attempt. */
  readonly notAfter: number;
}

/** The attempts a proxy started at `start` makes under scripted CA outcomes (true = signed), in order. */
export function linkerdRefreshAttempts(start: number, outcomes: readonly boolean[], config: LinkerdIdentityConfig): CertifyAttempt[] {
  const identity = new LinkerdIdentity(config, start);
  return outcomes.map((ok) => {
    const at = identity.nextAttempt;
    if (ok) identity.certified(at);
    else identity.failed(at);
    return { at, ok, notAfter: identity.notAfter };
  });
}

/**
 * The proxy as a `RenewalSchedule`. A certificate is taken to have arrived when it was signed, notBefore +
 * clockSkewAllowance (undoing `linkerdIssuedWindow`'s backdating); the first refresh is 70 % of its life from then.
 */
export function linkerdSchedule(config: LinkerdIdentityConfig): RenewalSchedule {
  let issued = 0;
  return {
    renewAt: (cert) => linkerdNextRefresh(cert.notBefore + config.clockSkewAllowance, cert.notAfter, config),
    retryAfter: (cert, failedAt) => linkerdNextRefresh(failedAt, cert.notAfter, config),
    reissue: (cert, at) => ({ ...cert, serial: `${cert.serial}/r${++issued}`, ...linkerdIssuedWindow(at, config) }),
  };
}
