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
