// Turns a scenario's distribution spec into an engine distribution.
import {
  boundedPareto,
  constant,
  type Distribution,
  empirical,
  erlang,
  exponential,
  gamma,
  lognormalFromMoments,
  lognormalFromQuantiles,
  uniform,
} from '../engine/index.ts';
import type { DistributionSpec } from '../scenario/schema.ts';

export function toDistribution(spec: DistributionSpec): Distribution {
  switch (spec.distribution) {
    case 'constant':
      return constant(spec.value);
    case 'exponential':
      return exponential(spec.mean);
    case 'uniform':
      return uniform(spec.min, spec.max);
    case 'lognormal':
      return spec.median !== undefined && spec.p99 !== undefined
        ? lognormalFromQuantiles(spec.median, spec.p99)
        : lognormalFromMoments(spec.mean as number, spec.cv as number);
    case 'erlang':
      return erlang(spec.k, spec.mean);
    case 'gamma':
      return gamma(spec.shape, spec.mean);
    case 'pareto':
      return boundedPareto(spec.alpha, spec.min, spec.max);
    case 'empirical': {
      const values = spec.values.map((v) => (typeof v === 'number' ? v : v.value));
      const weights = spec.values.map((v) => (typeof v === 'number' ? 1 : v.weight));
      return empirical(values, weights);
    }
  }
}
