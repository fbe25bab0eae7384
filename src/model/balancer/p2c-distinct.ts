// Power of two choices over two distinct endpoints, Linkerd/tower P2C (tower/src/balance/p2c/service.rs and
// `sample_floyd2` in tower/src/util/rng.rs): Floyd's sampling draws a uniform pair; the first is kept unless the second
// is strictly less loaded (`<=`). Unlike Envoy's draws with replacement, the busiest endpoint is never chosen.
import type { Rng } from '../../engine/index.ts';
import { activeRequests, type Endpoint, type LoadMetric, type Picker } from './types.ts';

export interface P2cDistinctOptions<E extends Endpoint = Endpoint> {
  /** How loaded an endpoint looks. Default: its active requests (Linkerd itself uses peak EWMA of latency). */
  metric?: LoadMetric<E>;
}

export function p2cDistinct<E extends Endpoint = Endpoint>(options: P2cDistinctOptions<E> = {}): Picker<E> {
  const metric: LoadMetric<E> = options.metric ?? activeRequests;
  return {
    pick(endpoints: readonly E[], rng: Rng): E {
      const n = endpoints.length;
      if (n === 1) return endpoints[0]!;
      let a = Math.floor(rng.next() * (n - 1));
      const b = Math.floor(rng.next() * n);
      if (a === b) a = n - 1;
      const first = endpoints[a]!;
      const second = endpoints[b]!;
      return metric(first) <= metric(second) ? first : second;
    },
  };
}
