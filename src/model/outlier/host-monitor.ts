// One host's outlier-detection state: Envoy `DetectorHostMonitorImpl` (`outlier_detection_impl.cc`), REFERENCE §1.2–1.3.
import { SuccessRateBuckets } from './success-rate.ts';

export class HostMonitor {
  consecutive5xx = 0;
  consecutiveGatewayFailure = 0;
  consecutiveLocalOriginFailure = 0;
  ejected = false;
  numEjections = 0;
  /** Envoy's `ejectTimeBackoff`: the ejection lasts min(base·multiplier, max) + jitter. */
  multiplier = 0;
  /** Seconds added to the current ejection. */
  jitter = 0;
  lastEjectionTime: number | undefined;
  lastUnejectionTime: number | undefined;
  readonly externalOrigin = new SuccessRateBuckets();
  readonly localOrigin = new SuccessRateBuckets();

  resetConsecutive(): void {
    this.consecutive5xx = 0;
    this.consecutiveGatewayFailure = 0;
    this.consecutiveLocalOriginFailure = 0;
  }
}

/** A read-only view of a host's state, for tests and reports. */
export type HostOutlierState = Readonly<Omit<HostMonitor, 'resetConsecutive' | 'externalOrigin' | 'localOrigin'>>;
