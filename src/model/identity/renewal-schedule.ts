// What a workload's identity agent does over a CA outage: when it first tries to renew, when it retries after a
// failure, what it gets on success. Istio's and Linkerd's schedules both fit; `outageTimeline` replays one outage
// window against a fleet's certificates and finds who expires before the CA comes back (REFERENCE §6.1 "outage budget
// ≈ remaining cert lifetime", §6.2 "mesh-wide failure within ≤ 24 h").
import type { Certificate } from './certificate.ts';

export interface RenewalSchedule {
  /** The first renewal attempt for `cert`, in seconds. */
  renewAt(cert: Certificate): number;
  /** The next attempt after one for `cert` failed at `failedAt` (> failedAt). */
  retryAfter(cert: Certificate, failedAt: number): number;
  /** The certificate a successful renewal at `at` yields. */
  reissue(cert: Certificate, at: number): Certificate;
}

/** The CA cannot sign on [start, end). */
export interface OutageWindow {
  readonly start: number;
  readonly end: number;
}

export interface WorkloadFate {
  /** Serial of the certificate held when the outage began to bite. */
  readonly serial: string;
  /** Failed attempts during the outage. */
  readonly failedAttempts: number;
  /** When the workload next held a fresh certificate after the outage (its first successful renewal at or after it). */
  readonly renewedAt: number;
  /** When its certificate expired before a renewal got through; absent if it never lapsed. */
  readonly expiredAt?: number;
}

export interface OutageTimeline {
  readonly fates: readonly WorkloadFate[];
  /** The earliest expiry over the fleet, or undefined when every workload rode the outage out. */
  readonly firstExpiry?: number;
}

/** Replays `outage` against each certificate under `schedule`: attempts inside the window fail, others succeed. */
export function outageTimeline(certs: readonly Certificate[], outage: OutageWindow, schedule: RenewalSchedule): OutageTimeline {
  if (!(outage.end >= outage.start)) throw new RangeError(`outage end (${outage.end}) must be ≥ start (${outage.start})`);
  const fates = certs.map((cert) => fateOf(cert, outage, schedule));
  const expiries = fates.flatMap((fate) => (fate.expiredAt === undefined ? [] : [fate.expiredAt]));
  return expiries.length === 0 ? { fates } : { fates, firstExpiry: Math.min(...expiries) };
}

function fateOf(initial: Certificate, outage: OutageWindow, schedule: RenewalSchedule): WorkloadFate {
  let cert = initial;
  let at = schedule.renewAt(cert);
  // Renewals that land before the outage succeed; walk generations until one has to renew inside or after it.
  while (at < outage.start) {
    cert = schedule.reissue(cert, at);
    at = schedule.renewAt(cert);
  }
  let failedAttempts = 0;
  while (at < outage.end) {
    failedAttempts++;
    const next = schedule.retryAfter(cert, at);
    if (!(next > at)) throw new RangeError(`retryAfter must move forward: ${next} after a failure at ${at}`);
    at = next;
  }
  const fate = { serial: cert.serial, failedAttempts, renewedAt: at };
  return at >= cert.notAfter ? { ...fate, expiredAt: cert.notAfter } : fate;
}
