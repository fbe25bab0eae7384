// Round robin, Envoy ROUND_ROBIN (source/extensions/load_balancing_policies/round_robin/round_robin_lb.h):
// plain rotation when all weights are equal, the EDF weighted schedule otherwise. As with Envoy's per-balancer
// random seed, each balancer starts at a random point so that many clients do not all begin on the same pod.
import type { Rng } from '../../engine/index.ts';
import { EdfSchedule } from './edf-schedule.ts';
import { type Endpoint, type Picker, weightsAreEqual } from './types.ts';

export interface RoundRobinOptions {
  /** Start at a random point of the rotation, drawn at the first pick (Envoy); false starts at the first endpoint. Default true. */
  randomStart?: boolean;
}

const weightOf = (e: Endpoint): number => e.weight;

export function roundRobin<E extends Endpoint = Endpoint>(options: RoundRobinOptions = {}): Picker<E> {
  return new RoundRobin<E>(options.randomStart ?? true);
}

class RoundRobin<E extends Endpoint> implements Picker<E> {
  private readonly randomStart: boolean;
  private readonly schedule = new EdfSchedule<E>();
  private known: readonly E[] | undefined;
  private size = 0;
  private weighted = false;
  /** Ids in rotation order at the last sync, and the index due next (plain rotation). */
  private ids: number[] = [];
  private due = 0;
  /** Where in the rotation this balancer starts, in [0, 1); drawn at the first pick. */
  private phase = -1;

  constructor(randomStart: boolean) {
    this.randomStart = randomStart;
  }

  pick(endpoints: readonly E[], rng: Rng): E {
    if (endpoints !== this.known || endpoints.length !== this.size) this.sync(endpoints, rng);
    if (this.weighted) return endpoints[this.schedule.next(endpoints, weightOf)]!;
    const i = this.due;
    this.due = i + 1 === endpoints.length ? 0 : i + 1;
    return endpoints[i]!;
  }

  update(): void {
    this.known = undefined;
  }

  /** Follows a changed endpoint set, keeping the balancer's place in the rotation. */
  private sync(endpoints: readonly E[], rng: Rng): void {
    const fresh = this.phase < 0;
    if (fresh) this.phase = this.randomStart ? rng.next() : 0;
    const weighted = !weightsAreEqual(endpoints);
    if (weighted) {
      if (!this.weighted) this.schedule.clear();
      if (this.schedule.reset(endpoints, weightOf) === 0) this.schedule.advance(this.phase, endpoints, weightOf);
    } else if (fresh || this.weighted) {
      this.due = Math.floor(this.phase * endpoints.length);
    } else {
      // Go on with the endpoint that was due next; if it has left, with the one now in its place.
      const dueId = this.ids[this.due];
      const at = endpoints.findIndex((e) => e.id === dueId);
      this.due = at >= 0 ? at : this.due % endpoints.length;
    }
    this.weighted = weighted;
    this.known = endpoints;
    this.size = endpoints.length;
    this.ids = endpoints.map((e) => e.id);
  }
}
