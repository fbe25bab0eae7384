// The interval-based statistics of Envoy outlier detection: per-host success counts kept in two buckets (the writer and
// the previous interval's), and the success-rate ejection threshold. Envoy `outlier_detection_impl.cc`
// (`SuccessRateAccumulator`, `DetectorImpl::successRateEjectionThreshold`); REFERENCE §1.5.

/** A host's success rate (percent) and request volume over one interval. */
export interface RateAndVolume {
  readonly successRate: number;
  readonly volume: number;
}

/** Requests and successes of the interval being written, and of the one before it, which is what gets evaluated. */
export class SuccessRateBuckets {
  private total = 0;
  private success = 0;
  private previousTotal = 0;
  private previousSuccess = 0;

  record(success: boolean): void {
    this.total++;
    if (success) this.success++;
  }

  /** At each sweep: the writer's counts become the previous interval's and the writer starts empty. */
  swap(): void {
    this.previousTotal = this.total;
    this.previousSuccess = this.success;
    this.total = 0;
    this.success = 0;
  }

  /** The previous interval's success rate and volume, or `undefined` if it saw no request. */
  previous(): RateAndVolume | undefined {
    if (this.previousTotal === 0) return undefined;
    return { successRate: (100 * this.previousSuccess) / this.previousTotal, volume: this.previousTotal };
  }
}

export interface SuccessRateThreshold {
  readonly mean: number;
  /** Population standard deviation (divided by n, not n − 1). */
  readonly stdev: number;
  /** mean − factor·stdev; hosts strictly below it are outliers. */
  readonly threshold: number;
}

/**
 * Envoy `successRateEjectionThreshold`: mean and population stdev of the valid hosts' success rates, and
 * threshold = mean − (stdevFactor / 1000)·stdev. {50, 100, 100, 100, 100} with 1900 → mean 90, stdev 20, threshold 52.
 */
export function successRateEjectionThreshold(rates: readonly number[], stdevFactor: number): SuccessRateThreshold {
  const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
  const variance = rates.reduce((a, r) => a + (r - mean) * (r - mean), 0) / rates.length;
  const stdev = Math.sqrt(variance);
  return { mean, stdev, threshold: mean - (stdevFactor / 1000) * stdev };
}

/** Envoy's failure-percentage test: eject when 100 − successRate ≥ threshold. */
export function exceedsFailurePercentage(successRate: number, threshold: number): boolean {
  return 100 - successRate >= threshold;
}
