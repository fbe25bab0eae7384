// Collects what the identity plane reports over a whole run (from 0 s, warm-up included: certificate stories are
// about when things happen): handshakes and the first and last failure, CSRs and their queue wait, and how many
// workloads hold an expired certificate or none, as totals, per time window and per workload for the timeline chart.
import type { CsrResult } from '../model/identity/ca.ts';
import type { Certificate } from '../model/identity/certificate.ts';
import type { IdentityLog } from '../model/identity/plane.ts';

export interface IdentityWindowResult {
  t: number;
  handshakes: number;
  handshakeFailures: number;
  /** Time-weighted share of workloads holding a valid certificate over the window. */
  validFraction: number;
  /** Most workloads holding an expired certificate at once in the window. */
  expiredMax: number;
  csrIssued: number;
  csrFailed: number;
  /** Mean and largest queue wait of the CSRs completed in the window, ms; null when none completed. */
  csrWaitMeanMs: number | null;
  csrWaitMaxMs: number | null;
}

export interface CertificateResult {
  workload: string;
  serial: string;
  /** Seconds since the start (negative for one issued before it). */
  from: number;
  to: number;
  /** Installed at `installedAt` replacing another (a renewal), or a first or initial certificate. */
  renewal: boolean;
  installedAt: number;
  /** When a restart took it away (null: held until replaced or the end). */
  releasedAt: number | null;
}

export interface HandshakeFailureMark {
  workload: string;
  /** Window start. */
  t: number;
  count: number;
}

export interface IdentityRunResult {
  workloads: number;
  handshakes: number;
  handshakeFailures: number;
  firstHandshakeFailureAt: number | null;
  lastHandshakeFailureAt: number | null;
  expiredPeak: number;
  /** Time-weighted mean of workloads holding an expired certificate. */
  expiredMean: number;
  missingPeak: number;
  validFractionMin: number;
  csrIssued: number;
  csrFailed: number;
  csrWaitMeanMs: number;
  csrWaitMaxMs: number;
  controlPlaneReconnects: number;
  /** Proxy CPU seconds all handshakes cost, and the seconds they were counted over (the run, from 0 s). */
  handshakeCpuSeconds: number;
  horizon: number;
  windows: IdentityWindowResult[];
  certificates: CertificateResult[];
  failureMarks: HandshakeFailureMark[];
}

interface Bucket {
  handshakes: number;
  failures: number;
  validArea: number;
  expiredMax: number;
  csrIssued: number;
  csrFailed: number;
  waitSum: number;
  waitMax: number;
  waits: number;
}

const emptyBucket = (): Bucket => ({ handshakes: 0, failures: 0, validArea: 0, expiredMax: 0, csrIssued: 0, csrFailed: 0, waitSum: 0, waitMax: 0, waits: 0 });

export class IdentityCollector implements IdentityLog {
  private readonly width: number;
  private readonly horizon: number;
  private readonly buckets: Bucket[];
  private handshakeCount = 0;
  private failures = 0;
  private first: number | null = null;
  private last: number | null = null;
  private expired = 0;
  private missing = 0;
  private total = 0;
  private lastChange = 0;
  private expiredArea = 0;
  private expiredPeak = 0;
  private missingPeak = 0;
  private validMin = 1;
  private csrIssued = 0;
  private csrFailed = 0;
  private waitSum = 0;
  private waitMax = 0;
  private readonly certificates: CertificateResult[] = [];
  /** Each workload's current certificate row. */
  private readonly held = new Map<string, CertificateResult>();
  private readonly marks = new Map<string, Map<number, number>>();

  /** Windows of `width` seconds cover [0, horizon). */
  constructor(width: number, horizon: number) {
    this.width = width;
    this.horizon = horizon;
    this.buckets = Array.from({ length: Math.ceil(horizon / width - 1e-9) }, emptyBucket);
  }

  private bucket(now: number): Bucket | undefined {
    return now < this.horizon ? this.buckets[Math.floor(now / this.width)] : undefined;
  }

  certificate(workload: string, cert: Certificate, renewal: boolean, now: number): void {
    if (now > this.horizon) return;
    const row = { workload, serial: cert.serial, from: cert.notBefore, to: cert.notAfter, renewal, installedAt: now, releasedAt: null };
    this.certificates.push(row);
    this.held.set(workload, row);
  }

  released(workload: string, now: number): void {
    const row = this.held.get(workload);
    if (row && now <= this.horizon) row.releasedAt = now;
    this.held.delete(workload);
  }

  csr(result: CsrResult): void {
    const b = this.bucket(result.completedAt);
    if (!b) return;
    if (result.ok) {
      this.csrIssued++;
      b.csrIssued++;
    } else {
      this.csrFailed++;
      b.csrFailed++;
    }
    this.waitSum += result.wait;
    this.waitMax = Math.max(this.waitMax, result.wait);
    b.waitSum += result.wait;
    b.waitMax = Math.max(b.waitMax, result.wait);
    b.waits++;
  }

  handshakes(client: string, _server: string, ok: boolean, count: number, now: number): void {
    const b = this.bucket(now);
    if (!b || count <= 0) return;
    this.handshakeCount += count;
    b.handshakes += count;
    if (ok) return;
    this.failures += count;
    b.failures += count;
    this.first ??= now;
    this.last = now;
    let marks = this.marks.get(client);
    if (!marks) this.marks.set(client, (marks = new Map()));
    const t = Math.floor(now / this.width) * this.width;
    marks.set(t, (marks.get(t) ?? 0) + count);
  }

  invalid(expired: number, missing: number, total: number, now: number): void {
    this.advance(Math.min(now, this.horizon));
    this.expired = expired;
    this.missing = missing;
    this.total = total;
    if (now >= this.horizon) return;
    this.expiredPeak = Math.max(this.expiredPeak, expired);
    this.missingPeak = Math.max(this.missingPeak, missing);
    this.validMin = Math.min(this.validMin, this.valid());
    const b = this.bucket(now) as Bucket;
    b.expiredMax = Math.max(b.expiredMax, expired);
  }

  private valid(): number {
    return this.total === 0 ? 1 : 1 - (this.expired + this.missing) / this.total;
  }

  /** Integrates the current counts from the last change to `to`, window by window. */
  private advance(to: number): void {
    let t = this.lastChange;
    if (to <= t) return;
    const valid = this.valid();
    this.expiredArea += this.expired * (to - t);
    while (t < to) {
      const i = Math.floor(t / this.width + 1e-12);
      const end = Math.min(to, (i + 1) * this.width);
      const b = this.buckets[i];
      if (!b) break;
      b.validArea += valid * (end - t);
      b.expiredMax = Math.max(b.expiredMax, this.expired);
      t = end;
    }
    this.lastChange = to;
  }

  /** `cpuPerHandshake`: proxy CPU seconds one handshake costs. */
  result(controlPlaneReconnects: number, cpuPerHandshake = 0): IdentityRunResult {
    this.advance(this.horizon);
    const windows = this.buckets.map((b, i) => {
      const t = i * this.width;
      const span = Math.min(this.width, this.horizon - t);
      return {
        t,
        handshakes: b.handshakes,
        handshakeFailures: b.failures,
        validFraction: b.validArea / span,
        expiredMax: b.expiredMax,
        csrIssued: b.csrIssued,
        csrFailed: b.csrFailed,
        csrWaitMeanMs: b.waits === 0 ? null : (b.waitSum / b.waits) * 1e3,
        csrWaitMaxMs: b.waits === 0 ? null : b.waitMax * 1e3,
      };
    });
    const failureMarks = [...this.marks].flatMap(([workload, m]) => [...m].map(([t, count]) => ({ workload, t, count })));
    const csrs = this.csrIssued + this.csrFailed;
    return {
      workloads: this.total,
      handshakes: this.handshakeCount,
      handshakeFailures: this.failures,
      firstHandshakeFailureAt: this.first,
      lastHandshakeFailureAt: this.last,
      expiredPeak: this.expiredPeak,
      expiredMean: this.expiredArea / this.horizon,
      missingPeak: this.missingPeak,
      validFractionMin: this.validMin,
      csrIssued: this.csrIssued,
      csrFailed: this.csrFailed,
      csrWaitMeanMs: csrs === 0 ? 0 : (this.waitSum / csrs) * 1e3,
      csrWaitMaxMs: this.waitMax * 1e3,
      controlPlaneReconnects,
      handshakeCpuSeconds: this.handshakeCount * cpuPerHandshake,
      horizon: this.horizon,
      windows,
      certificates: this.certificates,
      failureMarks,
    };
  }
}
