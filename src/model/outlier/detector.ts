// Envoy outlier detection for one cluster as a pure state machine on virtual time: consecutive-error counters fed per
// response, and a sweep the caller runs every `interval` that unejects, decays multipliers and evaluates success rate
// and failure percentage. Envoy `source/common/upstream/outlier_detection_impl.cc` (`DetectorImpl`); REFERENCE §1.2–1.5.
import type { Rng } from '../../engine/index.ts';
import type { OutlierConfig } from './config.ts';
import { type EjectionKind, ejectionAllowed, ejectionKinds, enforcingPercent } from './ejection-rules.ts';
import { is5xx, isGatewayError, type OutlierResult, resultToHttpCode } from './grpc-mapping.ts';
import { HostMonitor, type HostOutlierState } from './host-monitor.ts';
import { exceedsFailurePercentage, type SuccessRateBuckets, successRateEjectionThreshold } from './success-rate.ts';

export interface Ejection<H> {
  readonly host: H;
  readonly kind: EjectionKind;
  readonly at: number;
  /** min(base·multiplier, max) + jitter, seconds: the host is unejected at the first sweep at least this long after `at`. */
  readonly duration: number;
}

export interface SweepResult<H> {
  readonly unejected: readonly H[];
  readonly ejected: readonly Ejection<H>[];
}

const zeroCounts = (): Record<EjectionKind, number> => Object.fromEntries(ejectionKinds.map((k) => [k, 0])) as Record<EjectionKind, number>;

/**
 * Consecutive-error ejections happen at the response that reaches the threshold (Envoy posts them to the main thread at
 * once); success-rate and failure-percentage ejections, and every unejection, happen only in `onInterval`. Each
 * detection is counted in `detected`; it then passes the `maxEjectionPercent` cap (else `ejectionsOverflow`) and the
 * kind's enforcing-% coin flip (then `enforced`). `rng` draws coin flips (only for percentages strictly between 0 and
 * 100) and jitter (only when `maxEjectionTimeJitter` > 0).
 */
export class OutlierDetector<H = number> {
  readonly config: OutlierConfig;
  readonly detected = zeroCounts();
  readonly enforced = zeroCounts();
  ejectionsOverflow = 0;
  private readonly monitors = new Map<H, HostMonitor>();
  private readonly rng: Rng;
  private activeEjections = 0;

  constructor(config: OutlierConfig, hosts: Iterable<H>, rng: Rng) {
    this.config = config;
    this.rng = rng;
    for (const host of hosts) this.addHost(host);
  }

  addHost(host: H): void {
    if (!this.monitors.has(host)) this.monitors.set(host, new HostMonitor());
  }

  removeHost(host: H): void {
    if (this.monitors.get(host)?.ejected) this.activeEjections--;
    this.monitors.delete(host);
  }

  isEjected(host: H): boolean {
    return this.monitors.get(host)?.ejected ?? false;
  }

  ejectedHosts(): H[] {
    return [...this.monitors].filter(([, m]) => m.ejected).map(([host]) => host);
  }

  get hostCount(): number {
    return this.monitors.size;
  }

  state(host: H): HostOutlierState | undefined {
    return this.monitors.get(host);
  }

  /** A response code from `host` (`putHttpResponseCode`). Returns the ejection it caused, if any. Unknown hosts are ignored. */
  putResult(host: H, httpCode: number, now: number): Ejection<H> | undefined {
    const monitor = this.monitors.get(host);
    if (monitor === undefined) return undefined;
    monitor.externalOrigin.record(!is5xx(httpCode));
    if (!is5xx(httpCode)) {
      monitor.consecutive5xx = 0;
      monitor.consecutiveGatewayFailure = 0;
      return undefined;
    }
    let ejection: Ejection<H> | undefined;
    if (isGatewayError(httpCode)) {
      if (++monitor.consecutiveGatewayFailure === this.config.consecutiveGatewayFailure) {
        ejection = this.onConsecutive(host, monitor, 'consecutiveGatewayFailure', now);
      }
    } else {
      monitor.consecutiveGatewayFailure = 0;
    }
    if (++monitor.consecutive5xx === this.config.consecutive5xx) ejection = this.onConsecutive(host, monitor, 'consecutive5xx', now) ?? ejection;
    return ejection;
  }

  /**
   * A result other than a response code (`putResult`). Not split: mapped by `resultToHttpCode`. Split: connect
   * failures and timeouts count against the local-origin counter and monitor, a connect success clears them, and an
   * external request failure or success is fed as 503 or 200.
   */
  putLocalOrigin(host: H, result: OutlierResult, now: number): Ejection<H> | undefined {
    if (!this.config.splitExternalLocalOriginErrors) {
      const code = resultToHttpCode(result);
      return code === undefined ? undefined : this.putResult(host, code, now);
    }
    const monitor = this.monitors.get(host);
    if (monitor === undefined) return undefined;
    switch (result) {
      case 'localOriginConnectSuccess':
      case 'localOriginConnectSuccessFinal':
        this.localOriginSuccess(monitor);
        return undefined;
      case 'localOriginTimeout':
      case 'localOriginConnectFailed':
        monitor.localOrigin.record(false);
        if (++monitor.consecutiveLocalOriginFailure === this.config.consecutiveLocalOriginFailure) {
          return this.onConsecutive(host, monitor, 'consecutiveLocalOriginFailure', now);
        }
        return undefined;
      case 'extOriginRequestFailed':
        return this.putResult(host, 503, now);
      case 'extOriginRequestSuccess':
        this.putResult(host, 200, now);
        this.localOriginSuccess(monitor);
        return undefined;
    }
  }

  /**
   * The sweep (`onIntervalTimer`), to be run every `config.interval` seconds: per host, uneject if
   * min(base·multiplier, max) + jitter ≤ now − lastEjection, or, if not ejected and unejected at least an interval ago,
   * decay the multiplier by one; swap the success-rate buckets; then evaluate the interval that just ended, external
   * origin then local origin, success rate then failure percentage.
   */
  onInterval(now: number, rng: Rng = this.rng): SweepResult<H> {
    const unejected: H[] = [];
    for (const [host, monitor] of this.monitors) {
      if (this.checkForUneject(monitor, now)) unejected.push(host);
      monitor.externalOrigin.swap();
      monitor.localOrigin.swap();
    }
    const ejected: Ejection<H>[] = [];
    this.evaluate((m) => m.externalOrigin, 'successRate', 'failurePercentage', now, rng, ejected);
    this.evaluate((m) => m.localOrigin, 'successRateLocalOrigin', 'failurePercentageLocalOrigin', now, rng, ejected);
    return { unejected, ejected };
  }

  /** An active health check passed (`successful_active_health_check_uneject_host`): uneject now and clear the counters. */
  healthCheckSucceeded(host: H, now: number): boolean {
    const monitor = this.monitors.get(host);
    if (!monitor?.ejected) return false;
    this.uneject(monitor, now);
    return true;
  }

  private checkForUneject(monitor: HostMonitor, now: number): boolean {
    const { baseEjectionTime, maxEjectionTime, interval } = this.config;
    if (!monitor.ejected) {
      if (monitor.lastUnejectionTime !== undefined && now - monitor.lastUnejectionTime >= interval && monitor.multiplier > 0) monitor.multiplier--;
      return false;
    }
    if (Math.min(baseEjectionTime * monitor.multiplier, maxEjectionTime) + monitor.jitter > now - monitor.lastEjectionTime!) return false;
    this.uneject(monitor, now);
    return true;
  }

  private uneject(monitor: HostMonitor, now: number): void {
    this.activeEjections--;
    monitor.ejected = false;
    monitor.resetConsecutive();
    monitor.lastUnejectionTime = now;
  }

  private localOriginSuccess(monitor: HostMonitor): void {
    monitor.localOrigin.record(true);
    monitor.consecutiveLocalOriginFailure = 0;
  }

  /** `onConsecutiveErrorWorker`: an ejected host is skipped (its counter keeps counting); otherwise detect, try, reset. */
  private onConsecutive(host: H, monitor: HostMonitor, kind: EjectionKind, now: number): Ejection<H> | undefined {
    if (monitor.ejected) return undefined;
    const ejection = this.detect(host, monitor, kind, now, this.rng);
    if (kind === 'consecutive5xx') monitor.consecutive5xx = 0;
    else if (kind === 'consecutiveGatewayFailure') monitor.consecutiveGatewayFailure = 0;
    else monitor.consecutiveLocalOriginFailure = 0;
    return ejection;
  }

  private evaluate(
    buckets: (m: HostMonitor) => SuccessRateBuckets,
    srKind: EjectionKind,
    fpKind: EjectionKind,
    now: number,
    rng: Rng,
    out: Ejection<H>[],
  ): void {
    const c = this.config;
    if (this.monitors.size < c.successRateMinimumHosts && this.monitors.size < c.failurePercentageMinimumHosts) return;
    const srHosts: [H, HostMonitor, number][] = [];
    const fpHosts: [H, HostMonitor, number][] = [];
    for (const [host, monitor] of this.monitors) {
      if (monitor.ejected) continue;
      const rate = buckets(monitor).previous();
      if (rate === undefined) continue;
      if (rate.volume >= c.successRateRequestVolume) srHosts.push([host, monitor, rate.successRate]);
      if (rate.volume >= c.failurePercentageRequestVolume) fpHosts.push([host, monitor, rate.successRate]);
    }
    if (srHosts.length > 0 && srHosts.length >= c.successRateMinimumHosts) {
      const { threshold } = successRateEjectionThreshold(
        srHosts.map(([, , rate]) => rate),
        c.successRateStdevFactor,
      );
      for (const [host, monitor, rate] of srHosts) {
        if (rate < threshold) this.push(out, this.detect(host, monitor, srKind, now, rng));
      }
    }
    if (fpHosts.length > 0 && fpHosts.length >= c.failurePercentageMinimumHosts) {
      for (const [host, monitor, rate] of fpHosts) {
        if (!monitor.ejected && exceedsFailurePercentage(rate, c.failurePercentageThreshold)) this.push(out, this.detect(host, monitor, fpKind, now, rng));
      }
    }
  }

  private push(out: Ejection<H>[], ejection: Ejection<H> | undefined): void {
    if (ejection !== undefined) out.push(ejection);
  }

  /** `updateDetectedEjectionStats` then `ejectHost`: the cap, the enforcing coin flip, then the ejection itself. */
  private detect(host: H, monitor: HostMonitor, kind: EjectionKind, now: number, rng: Rng): Ejection<H> | undefined {
    this.detected[kind]++;
    if (!this.capAllows()) {
      this.ejectionsOverflow++;
      return undefined;
    }
    if (!coinFlip(enforcingPercent(this.config, kind), rng)) return undefined;
    this.enforced[kind]++;
    return this.eject(host, monitor, kind, now, rng);
  }

  /** REFERENCE §1.4; counted over all hosts of the cluster, not per priority. */
  private capAllows(): boolean {
    return ejectionAllowed(this.config.ejectionCapRule, this.config.maxEjectionPercent, this.activeEjections, this.monitors.size);
  }

  private eject(host: H, monitor: HostMonitor, kind: EjectionKind, now: number, rng: Rng): Ejection<H> {
    const { baseEjectionTime, maxEjectionTime, maxEjectionTimeJitter } = this.config;
    this.activeEjections++;
    monitor.ejected = true;
    monitor.numEjections++;
    monitor.lastEjectionTime = now;
    const jitterMs = Math.round(maxEjectionTimeJitter * 1000);
    monitor.jitter = jitterMs > 0 ? Math.floor(rng.next() * (jitterMs + 1)) / 1000 : 0;
    if (monitor.multiplier * baseEjectionTime < maxEjectionTime + baseEjectionTime) monitor.multiplier++;
    return { host, kind, at: now, duration: Math.min(baseEjectionTime * monitor.multiplier, maxEjectionTime) + monitor.jitter };
  }
}

/** Envoy `featureEnabled(percent)`: true with probability percent/100; no draw at 0 or 100. */
function coinFlip(percent: number, rng: Rng): boolean {
  if (percent >= 100) return true;
  if (percent <= 0) return false;
  return rng.next() * 100 < percent;
}
