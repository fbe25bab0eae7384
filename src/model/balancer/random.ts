// Random, Envoy RANDOM (source/extensions/load_balancing_policies/random/random_lb.cc): one uniform draw per pick
// over the healthy endpoints. Envoy ignores endpoint weights here; meshsim honours unequal weights by default
// (cumulative weights, binary search) and `weighted: false` gives Envoy's exact behaviour.
import type { Rng } from '../../engine/index.ts';
import { type Endpoint, type Picker, weightsAreEqual } from './types.ts';

export interface RandomOptions {
  /** Draw in proportion to weight when weights differ. Default true; Envoy's RANDOM is `false`. */
  weighted?: boolean;
}

export function random<E extends Endpoint = Endpoint>(options: RandomOptions = {}): Picker<E> {
  return options.weighted === false ? { pick: uniform } : new WeightedRandom<E>();
}

function uniform<E>(endpoints: readonly E[], rng: Rng): E {
  return endpoints[Math.floor(rng.next() * endpoints.length)]!;
}

class WeightedRandom<E extends Endpoint> implements Picker<E> {
  private known: readonly E[] | undefined;
  private size = 0;
  private weighted = false;
  /** cumulative[i] = weight of endpoints 0..i. */
  private cumulative = new Float64Array(0);

  pick(endpoints: readonly E[], rng: Rng): E {
    if (endpoints !== this.known || endpoints.length !== this.size) this.sync(endpoints);
    if (!this.weighted) return uniform(endpoints, rng);
    const cumulative = this.cumulative;
    const target = rng.next() * cumulative[cumulative.length - 1]!;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return endpoints[lo]!;
  }

  update(): void {
    this.known = undefined;
  }

  private sync(endpoints: readonly E[]): void {
    this.known = endpoints;
    this.size = endpoints.length;
    this.weighted = !weightsAreEqual(endpoints);
    this.cumulative = new Float64Array(endpoints.length);
    let sum = 0;
    endpoints.forEach((e, i) => {
      sum += e.weight;
      this.cumulative[i] = sum;
    });
  }
}
