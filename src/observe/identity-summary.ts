// The summary's `identity` block and the identity tables (docs/summary.md): each figure per replication first, then
// its mean and 95% CI; the first and last failed handshake are null when no replication had one.
import type { IdentityRunResult } from './identity-collector.ts';
import type { RunResult } from './run-result.ts';
import { figure } from './stats.ts';
import type { CertificateRow, Figure, HandshakeFailureRow, IdentitySummary, IdentityTimeSeriesRow } from './types.ts';

export function summarizeIdentity(runs: readonly RunResult[]): IdentitySummary | undefined {
  const ids = runs.flatMap((r) => (r.identity ? [r.identity] : []));
  if (ids.length === 0) return undefined;
  const f = (get: (r: IdentityRunResult) => number): Figure => figure(ids.map(get));
  const at = (get: (r: IdentityRunResult) => number | null): Figure | null => {
    const xs = ids.flatMap((r) => {
      const v = get(r);
      return v === null ? [] : [v];
    });
    return xs.length === 0 ? null : figure(xs);
  };
  return {
    workloads: f((r) => r.workloads),
    firstHandshakeFailureAt: at((r) => r.firstHandshakeFailureAt),
    lastHandshakeFailureAt: at((r) => r.lastHandshakeFailureAt),
    replicationsWithFailures: ids.filter((r) => r.firstHandshakeFailureAt !== null).length,
    handshakes: f((r) => r.handshakes),
    handshakeFailures: f((r) => r.handshakeFailures),
    handshakeCpuCores: f((r) => r.handshakeCpuSeconds / r.horizon),
    expiredWorkloadsPeak: f((r) => r.expiredPeak),
    expiredWorkloadsMean: f((r) => r.expiredMean),
    workloadsWithoutCertificatePeak: f((r) => r.missingPeak),
    validCertificateFractionMin: f((r) => r.validFractionMin),
    csrIssued: f((r) => r.csrIssued),
    csrFailed: f((r) => r.csrFailed),
    csrWaitMs: { mean: f((r) => r.csrWaitMeanMs), max: f((r) => r.csrWaitMaxMs) },
    controlPlaneReconnects: f((r) => r.controlPlaneReconnects),
  };
}

export function identityTables(
  variant: string,
  r: RunResult,
): { identityTimeseries: IdentityTimeSeriesRow[]; certificates: CertificateRow[]; handshakeFailures: HandshakeFailureRow[] } {
  const id = r.identity;
  if (!id) return { identityTimeseries: [], certificates: [], handshakeFailures: [] };
  const base = { variant, replication: r.replication };
  return {
    identityTimeseries: id.windows.map((w) => ({ ...base, ...w })),
    certificates: id.certificates.map((c) => ({ ...base, ...c })),
    handshakeFailures: id.failureMarks.map((m) => ({ ...base, ...m })),
  };
}
