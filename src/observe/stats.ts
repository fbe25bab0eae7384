// Summary statistics over replications: the mean and a 95% confidence interval from Student's t
// (the replications are independent runs, so the t interval on their means is the textbook one).
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { mean, sampleStandardDeviation } from 'simple-statistics';
import type { Figure } from './types.ts';

/** Mean and 95% CI of independent replication values. NaN values (no data) are left out; none left → 0. */
export function figure(values: readonly number[]): Figure {
  const xs = values.filter((v) => Number.isFinite(v));
  if (xs.length === 0) return { mean: 0, lo: 0, hi: 0 };
  const m = mean(xs);
  if (xs.length === 1) return { mean: m, lo: m, hi: m };
  const half = tQuantile(0.975, xs.length - 1) * (sampleStandardDeviation(xs) / Math.sqrt(xs.length));
  return { mean: m, lo: m - half, hi: m + half };
}

/** Half-width of a figure's confidence interval. */
export const halfWidth = (f: Figure): number => (f.hi - f.lo) / 2;
