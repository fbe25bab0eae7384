// Istio's workload-certificate rotation by the istio-agent (pilot-agent env, REFERENCE §6.1): `SECRET_TTL` 24 h,
// `SECRET_GRACE_PERIOD_RATIO` 0.5 (renew when half the lifetime remains), `SECRET_GRACE_PERIOD_RATIO_JITTER` 0.01
// (istio#52102, against synchronized CSR storms) and a rotation check every 5 min (`SECRET_ROTATION_CHECK_INTERVAL`).
import type { Rng } from '../../engine/index.ts';
import type { Certificate } from './certificate.ts';
import type { RenewalSchedule } from './renewal-schedule.ts';

export interface IstioRotationConfig {
  /** Requested workload certificate lifetime, seconds (`SECRET_TTL`). */
  readonly secretTtl: number;
  /** Renew when this share of the lifetime remains (`SECRET_GRACE_PERIOD_RATIO`). */
  readonly gracePeriodRatio: number;
  /** Half-width of the uniform jitter on the ratio (`SECRET_GRACE_PERIOD_RATIO_JITTER`). */
  readonly gracePeriodRatioJitter: number;
  /** Seconds between the agent's rotation checks (`SECRET_ROTATION_CHECK_INTERVAL`). */
  readonly rotationCheckInterval: number;
  /** A time at which a check runs (the grid's phase); absent: each certificate's notBefore. */
  readonly checkPhase?: number;
}

export const ISTIO_ROTATION_DEFAULTS: IstioRotationConfig = Object.freeze({
  secretTtl: 24 * 3600,
  gracePeriodRatio: 0.5,
  gracePeriodRatioJitter: 0.01,
  rotationCheckInterval: 300,
});

/** Defaults filled in and checked once. */
export function istioRotationConfig(options: Partial<IstioRotationConfig> = {}): IstioRotationConfig {
  const config = { ...ISTIO_ROTATION_DEFAULTS, ...options };
  const { secretTtl, gracePeriodRatio: ratio, gracePeriodRatioJitter: jitter, rotationCheckInterval } = config;
  if (!(secretTtl > 0)) throw new RangeError(`secretTtl must be > 0, not ${secretTtl}`);
  if (!(jitter >= 0 && ratio - jitter >= 0 && ratio + jitter <= 1)) {
    throw new RangeError(`gracePeriodRatio ± jitter must stay within [0, 1], not ${ratio} ± ${jitter}`);
  }
  if (!(rotationCheckInterval > 0)) throw new RangeError(`rotationCheckInterval must be > 0, not ${rotationCheckInterval}`);
  return config;
}

/**
 * The instant the certificate becomes due: notAfter − r·lifetime with r drawn uniformly from [ratio − jitter,
 * ratio + jitter] (one draw per certificate) and lifetime = notAfter − notBefore. Defaults: 11.76–12.24 h into a 24 h
 * certificate, ±14.4 min.
 */
export function istioRenewalPoint(cert: Certificate, config: IstioRotationConfig, rng: Rng): number {
  const ratio = config.gracePeriodRatio + config.gracePeriodRatioJitter * (2 * rng.next() - 1);
  return cert.notAfter - ratio * (cert.notAfter - cert.notBefore);
}

/** The first rotation check at or after `time` on the grid through `phase`. */
export function nextCheck(time: number, phase: number, interval: number): number {
  // The epsilon keeps a time computed onto a grid point (e.g. 12 h) from rounding up a whole interval.
  return phase + Math.ceil((time - phase) / interval - 1e-9) * interval;
}

/** When the agent renews: the first check at or after the renewal point. Draws once from `rng`. */
export function istioRenewalTime(cert: Certificate, config: IstioRotationConfig, rng: Rng): number {
  const phase = config.checkPhase ?? cert.notBefore;
  return nextCheck(istioRenewalPoint(cert, config, rng), phase, config.rotationCheckInterval);
}

/**
 * After a failed CSR the certificate is still due, so the next rotation check tries again: retries every
 * `rotationCheckInterval`. An assumption: REFERENCE §6.1 is silent on the agent's CSR retries; its gRPC CA client has a
 * short retry of its own, which this folds into the one failed attempt.
 */
export function istioRetryTime(cert: Certificate, failedAt: number, config: IstioRotationConfig): number {
  const phase = config.checkPhase ?? cert.notBefore;
  const interval = config.rotationCheckInterval;
  return phase + (Math.floor((failedAt - phase) / interval + 1e-9) + 1) * interval;
}

/** The Istio agent as a `RenewalSchedule`; a renewal yields a `secretTtl` certificate from the renewal instant. */
export function istioSchedule(config: IstioRotationConfig, rng: Rng): RenewalSchedule {
  let issued = 0;
  return {
    renewAt: (cert) => istioRenewalTime(cert, config, rng),
    retryAfter: (cert, failedAt) => istioRetryTime(cert, failedAt, config),
    reissue: (cert, at) => ({ ...cert, serial: `${cert.serial}/r${++issued}`, notBefore: at, notAfter: at + config.secretTtl }),
  };
}
