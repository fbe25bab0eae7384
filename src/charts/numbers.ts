// Rounding for inline chart data: specs stay small and byte-stable when the numbers behind them
// carry only the precision a reader can see.

/** `x` rounded to `digits` significant digits; non-finite values pass through unchanged. */
export function sig(x: number, digits = 4): number {
  if (!Number.isFinite(x) || x === 0) return x === 0 ? 0 : x;
  return Number(x.toPrecision(digits));
}

/** Like `sig`, but keeps null (a window with no completed requests). */
export function sigOrNull(x: number | null, digits = 4): number | null {
  return x === null ? null : sig(x, digits);
}

/** Arithmetic mean of the non-null values, or null if there are none. */
export function meanOf(values: readonly (number | null)[]): number | null {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    sum += v;
    n += 1;
  }
  return n === 0 ? null : sum / n;
}

/** True when positive values span more than `ratio`× — then a log axis reads better than a linear one. */
export function wantsLogScale(values: readonly number[], ratio = 20): boolean {
  if (values.length === 0 || values.some((v) => !(v > 0))) return false;
  return Math.max(...values) / Math.min(...values) > ratio;
}

/** Student's t 0.975 quantile for 1–30 degrees of freedom (beyond: Cornish–Fisher expansion, error < 1e-4). */
const T_975 = [
  12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157, 2.228139, 2.200985, 2.178813, 2.160369, 2.144787, 2.13145,
  2.119905, 2.109816, 2.100922, 2.093024, 2.085963, 2.079614, 2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831, 2.048407, 2.04523, 2.042272,
];

export function t975(df: number): number {
  if (df <= T_975.length) return T_975[Math.max(1, Math.round(df)) - 1]!;
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
}

/** Mean and 95% Student-t interval of independent replication values (as src/observe computes its figures). */
export function meanCi(values: readonly number[]): { mean: number; lo: number; hi: number } {
  const xs = values.filter((v) => Number.isFinite(v));
  if (xs.length === 0) return { mean: 0, lo: 0, hi: 0 };
  const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
  if (xs.length === 1) return { mean, lo: mean, hi: mean };
  const sd = Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / (xs.length - 1));
  const half = (t975(xs.length - 1) * sd) / Math.sqrt(xs.length);
  return { mean, lo: mean - half, hi: mean + half };
}

/** The window length in seconds: the smallest gap between distinct window starts (null with one window). */
export function windowSeconds(rows: readonly { t: number }[]): number | null {
  const ts = [...new Set(rows.map((r) => r.t))].sort((a, b) => a - b);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 1; i < ts.length; i++) best = Math.min(best, ts[i]! - ts[i - 1]!);
  return Number.isFinite(best) ? best : null;
}

/** At most this many points per line: longer runs average neighbouring windows together. */
export const MAX_POINTS = 400;

export interface TimeBuckets {
  /** The bucket width in seconds (a whole number of windows), or null when there is a single window. */
  bucket: number | null;
  /** The start of the bucket a window starting at `t` falls in. */
  start: (t: number) => number;
}

/** Buckets of whole windows so that a line over `rows` has at most MAX_POINTS points. */
export function timeBuckets(rows: readonly { t: number }[]): TimeBuckets {
  const window = windowSeconds(rows);
  let t0 = Number.POSITIVE_INFINITY;
  let t1 = Number.NEGATIVE_INFINITY;
  for (const r of rows) {
    t0 = Math.min(t0, r.t);
    t1 = Math.max(t1, r.t);
  }
  const count = window === null ? 1 : Math.round((t1 - t0) / window) + 1;
  const bucket = window === null ? null : window * Math.ceil(count / MAX_POINTS);
  return { bucket, start: (t) => (bucket === null ? t : t0 + Math.floor((t - t0) / bucket + 1e-9) * bucket) };
}
