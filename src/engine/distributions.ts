// Random variates for service times, think times and delays, each drawn from a given Rng.
// Every distribution knows its mean (for estimates and checks). Parameters are in seconds.
import type { Rng } from './random.ts';

export interface Distribution {
  readonly mean: number;
  sample(rng: Rng): number;
}

/** z such that P(Z ≤ z) = 0.99 for a standard normal. */
export const Z99 = 2.3263478740408408;

export const constant = (value: number): Distribution => ({ mean: value, sample: () => value });

export const exponential = (mean: number): Distribution => ({ mean, sample: (rng) => -mean * Math.log(1 - rng.next()) });

export const uniform = (min: number, max: number): Distribution => ({ mean: (min + max) / 2, sample: (rng) => min + (max - min) * rng.next() });

/** A standard normal variate (Box–Muller, one of the pair). */
export function standardNormal(rng: Rng): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** Lognormal with log-mean `mu` and log-sd `sigma`. */
export const lognormal = (mu: number, sigma: number): Distribution => ({
  mean: Math.exp(mu + (sigma * sigma) / 2),
  sample: (rng) => Math.exp(mu + sigma * standardNormal(rng)),
});

/** Lognormal given its median and 99th percentile. */
export const lognormalFromQuantiles = (median: number, p99: number): Distribution => lognormal(Math.log(median), Math.log(p99 / median) / Z99);

/** Lognormal given its mean and coefficient of variation. */
export function lognormalFromMoments(mean: number, cv: number): Distribution {
  const sigma2 = Math.log(1 + cv * cv);
  return lognormal(Math.log(mean) - sigma2 / 2, Math.sqrt(sigma2));
}

/** Gamma with shape k and the given mean (Marsaglia & Tsang 2000; the k < 1 case by boosting). */
export function gamma(shape: number, mean: number): Distribution {
  const scale = mean / shape;
  const k = shape < 1 ? shape + 1 : shape;
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  const draw = (rng: Rng): number => {
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = standardNormal(rng);
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - rng.next();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  };
  return {
    mean,
    sample: shape < 1 ? (rng) => draw(rng) * (1 - rng.next()) ** (1 / shape) * scale : (rng) => draw(rng) * scale,
  };
}

/** Erlang-k: the sum of k exponential phases, with the given total mean. */
export function erlang(k: number, mean: number): Distribution {
  if (k > 32) return gamma(k, mean);
  const phase = mean / k;
  return {
    mean,
    sample: (rng) => {
      let product = 1;
      for (let i = 0; i < k; i++) product *= 1 - rng.next();
      return -phase * Math.log(product);
    },
  };
}

/** Pareto with shape alpha, truncated to [min, max] (inverse transform). */
export function boundedPareto(alpha: number, min: number, max: number): Distribution {
  const la = min ** alpha;
  const ha = max ** alpha;
  const mean =
    alpha === 1
      ? ((max * min) / (max - min)) * Math.log(max / min)
      : (la / (1 - (min / max) ** alpha)) * (alpha / (alpha - 1)) * (1 / min ** (alpha - 1) - 1 / max ** (alpha - 1));
  return {
    mean,
    sample: (rng) => {
      const u = rng.next();
      return (-(u * ha - u * la - ha) / (ha * la)) ** (-1 / alpha);
    },
  };
}

/** Draws one of `values` with probability proportional to its weight. */
export function empirical(values: readonly number[], weights?: readonly number[]): Distribution {
  const w = weights ?? values.map(() => 1);
  const total = w.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  let acc = 0;
  for (const x of w) cumulative.push((acc += x) / total);
  const mean = values.reduce((sum, v, i) => sum + v * (w[i] as number), 0) / total;
  return {
    mean,
    sample: (rng) => {
      const u = rng.next();
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((cumulative[mid] as number) > u) hi = mid;
        else lo = mid + 1;
      }
      return values[lo] as number;
    },
  };
}
