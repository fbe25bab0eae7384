// Least request, Envoy LEAST_REQUEST (source/extensions/load_balancing_policies/least_request/least_request_lb.cc).
// Equal weights: the least loaded of `choiceCount` endpoints drawn with replacement (strict <, the first drawn keeps
// ties: `unweightedHostPickNChoices`). Unequal weights: the EDF schedule over w_eff = weight / (load + 1)^bias.
import type { Rng } from '../../engine/index.ts';
import { EdfSchedule } from './edf-schedule.ts';
import { activeRequests, type Endpoint, type LoadMetric, type Picker, weightsAreEqual } from './types.ts';

export interface LeastRequestOptions<E extends Endpoint = Endpoint> {
  /** Endpoints drawn per pick when weights are equal, an integer ≥ 2 (Envoy `choice_count`). Default 2. */
  choiceCount?: number;
  /** Exponent of (load + 1) in the dynamic weight, ≥ 0; 0 is plain weighted round robin. Default 1.0. */
  activeRequestBias?: number;
  /** How loaded an endpoint looks. Default: its active requests. */
  metric?: LoadMetric<E>;
  /** Start the weighted schedule at a random phase, as Envoy does with its per-balancer seed. Default true. */
  randomStart?: boolean;
}

/** Envoy `hostWeight`: `weight / (load + 1)^bias`, the +1 so an idle endpoint keeps its full weight. */
export function effectiveWeight(weight: number, load: number, bias: number): number {
  if (bias === 0) return weight;
  if (bias === 1) return weight / (load + 1);
  return weight / (load + 1) ** bias;
}

export function leastRequest<E extends Endpoint = Endpoint>(options: LeastRequestOptions<E> = {}): Picker<E> {
  const choiceCount = options.choiceCount ?? 2;
  const bias = options.activeRequestBias ?? 1;
  if (!Number.isInteger(choiceCount) || choiceCount < 2) throw new RangeError(`choiceCount must be an integer ≥ 2, not ${choiceCount}`);
  if (!(bias >= 0 && Number.isFinite(bias))) throw new RangeError(`activeRequestBias must be a finite number ≥ 0, not ${bias}`);
  return new LeastRequest<E>(choiceCount, bias, options.metric ?? activeRequests, options.randomStart ?? true);
}

class LeastRequest<E extends Endpoint> implements Picker<E> {
  private readonly choiceCount: number;
  private readonly metric: LoadMetric<E>;
  private readonly randomStart: boolean;
  private readonly weightOf: (e: E) => number;
  private readonly schedule = new EdfSchedule<E>();
  private known: readonly E[] | undefined;
  private size = 0;
  private weighted = false;

  constructor(choiceCount: number, bias: number, metric: LoadMetric<E>, randomStart: boolean) {
    this.choiceCount = choiceCount;
    this.metric = metric;
    this.randomStart = randomStart;
    this.weightOf = (e) => effectiveWeight(e.weight, metric(e), bias);
  }

  pick(endpoints: readonly E[], rng: Rng): E {
    if (endpoints !== this.known || endpoints.length !== this.size) this.sync(endpoints, rng);
    if (this.weighted) return endpoints[this.schedule.next(endpoints, this.weightOf)]!;
    const n = endpoints.length;
    let best = endpoints[Math.floor(rng.next() * n)]!;
    let bestLoad = this.metric(best);
    for (let c = 1; c < this.choiceCount; c++) {
      const e = endpoints[Math.floor(rng.next() * n)]!;
      const load = this.metric(e);
      if (load < bestLoad) {
        best = e;
        bestLoad = load;
      }
    }
    return best;
  }

  update(): void {
    this.known = undefined;
  }

  /**
   * The weighted schedule is Envoy's: an endpoint's w_eff is evaluated when it is queued — at the build, then just
   * after each of its picks, before the caller counts the new request — so the deadlines of the others reflect their
   * load when they were last picked. Endpoints kept across a set change keep their deadlines.
   */
  private sync(endpoints: readonly E[], rng: Rng): void {
    const weighted = !weightsAreEqual(endpoints);
    if (weighted) {
      if (!this.weighted) this.schedule.clear();
      if (this.schedule.reset(endpoints, this.weightOf) === 0 && this.randomStart) {
        this.schedule.advance(rng.next(), endpoints, this.weightOf);
      }
    }
    this.weighted = weighted;
    this.known = endpoints;
    this.size = endpoints.length;
  }
}
