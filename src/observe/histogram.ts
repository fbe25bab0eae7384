// Latency histograms: HdrHistogram (hdr-histogram-js) with 3 significant digits over microseconds,
// so percentiles cost constant memory however many requests a run simulates.
import * as hdr from 'hdr-histogram-js';

const HOUR_US = 3_600_000_000;

export class LatencyHistogram {
  private readonly h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 24 * HOUR_US, numberOfSignificantValueDigits: 3 });
  private sum = 0;

  /** Records a duration given in seconds. */
  record(seconds: number): void {
    const us = Math.round(seconds * 1e6);
    this.h.recordValue(us < 1 ? 1 : Math.min(us, 24 * HOUR_US));
    this.sum += seconds;
  }

  get count(): number {
    return this.h.totalCount;
  }

  /** Exact mean of the recorded values, in milliseconds (NaN when empty). */
  meanMs(): number {
    return this.count === 0 ? Number.NaN : (this.sum / this.count) * 1e3;
  }

  /** The value at percentile `p` (0–100), in milliseconds (NaN when empty). */
  percentileMs(p: number): number {
    return this.count === 0 ? Number.NaN : this.h.getValueAtPercentile(p) / 1e3;
  }

  reset(): void {
    this.h.reset();
    this.sum = 0;
  }
}
