// The measured interval of a run: requests that start inside [from, to) count, and time-based
// figures (busy time, utilization) are integrated over it.

export interface Measure {
  readonly from: number;
  readonly to: number;
}

/** The part of [a, b) that lies inside the measured interval, in seconds. */
export const overlap = (m: Measure, a: number, b: number): number => {
  const lo = Math.max(a, m.from);
  const hi = Math.min(b, m.to);
  return hi > lo ? hi - lo : 0;
};
