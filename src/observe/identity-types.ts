// The identity part of the summary contract and its tables (docs/summary.md, docs/certificates.md).
import type { Figure } from './types.ts';

/** Certificates and handshakes over the whole run (warm-up included), docs/certificates.md. */
export interface IdentitySummary {
  /** Workloads holding (or waiting for) a certificate. */
  workloads: Figure;
  /** Seconds since the start of the first failed handshake, over the replications that had one; null when none did. */
  firstHandshakeFailureAt: Figure | null;
  lastHandshakeFailureAt: Figure | null;
  /** Replications with at least one failed handshake. */
  replicationsWithFailures: number;
  handshakes: Figure;
  handshakeFailures: Figure;
  /** Proxy CPU cores the handshakes kept busy over the run (`identity.handshake.cpu` each); not in `metrics.proxyCpuCores`. */
  handshakeCpuCores: Figure;
  /** Most workloads holding an expired certificate at once, and their time-weighted mean. */
  expiredWorkloadsPeak: Figure;
  expiredWorkloadsMean: Figure;
  /** Most workloads holding no certificate at once (new or restarted pods waiting for their first). */
  workloadsWithoutCertificatePeak: Figure;
  /** Lowest share of workloads holding a valid certificate. */
  validCertificateFractionMin: Figure;
  csrIssued: Figure;
  csrFailed: Figure;
  /** Time CSRs waited for a signer (mean over CSRs, and the longest), ms. */
  csrWaitMs: { mean: Figure; max: Figure };
  /** Proxies that reconnected to the control plane when it came back, summed over recoveries. */
  controlPlaneReconnects: Figure;
}

/** One identity time-series window of one replication (data/identity-timeseries.csv). */
export interface IdentityTimeSeriesRow {
  variant: string;
  replication: number;
  t: number;
  handshakes: number;
  handshakeFailures: number;
  validFraction: number;
  expiredMax: number;
  csrIssued: number;
  csrFailed: number;
  csrWaitMeanMs: number | null;
  csrWaitMaxMs: number | null;
}

/** One workload certificate (data/certificates.csv): its validity, and when it was installed. */
export interface CertificateRow {
  variant: string;
  replication: number;
  workload: string;
  serial: string;
  from: number;
  to: number;
  renewal: boolean;
  installedAt: number;
  /** When a restart took it away; null when it was held until replaced or the end. */
  releasedAt: number | null;
}

/** Failed handshakes of one client workload in one window (data/handshake-failures.csv). */
export interface HandshakeFailureRow {
  variant: string;
  replication: number;
  workload: string;
  t: number;
  count: number;
}
