// What a load-balancing policy sees of the destination's pods and how it is asked to choose one.
// Picker and load metric are separate axes, as in Finagle's balancers: *how to pick* × *how to measure load*.
import type { Rng } from '../../engine/index.ts';

export interface Endpoint {
  /** Stable id of the pod, unique within the destination service. */
  readonly id: number;
  /** Load-balancing weight, > 0 (default 1). Pickers read it when they (re)build, see `Picker.update`. */
  weight: number;
  /** Active requests THIS balancer has outstanding on the endpoint (its own view only). */
  active: number;
}

/** How loaded an endpoint looks; lower is better. Least request: `e => e.active`. */
export type LoadMetric<E extends Endpoint = Endpoint> = (e: E) => number;

export interface Picker<E extends Endpoint = Endpoint> {
  /** Chooses among `endpoints` (non-empty, the healthy set); `key` is a request hash for consistent hashing. */
  pick(endpoints: readonly E[], rng: Rng, key?: number): E;
  /**
   * Called when the endpoint set changes (pods added/removed, weights changed); pickers with state (RR position,
   * ring) rebuild at the next pick. Handing `pick` a different array, or one of another length, does the same.
   */
  update?(endpoints: readonly E[]): void;
  /** Latency feedback, for pickers that learn from answers (peak EWMA); absent for the others. */
  readonly feedback?: RttFeedback<E>;
}

/**
 * How a balancer tells a latency-aware picker about each attempt: read `now()` when the attempt is sent, and call
 * `observe` when it ends (answered, failed or reset) with the seconds it took.
 */
export interface RttFeedback<E extends Endpoint = Endpoint> {
  now(): number;
  observe(endpoint: E, rtt: number, now: number): void;
}

/** The least-request metric: requests this balancer has outstanding on the endpoint. */
export const activeRequests: LoadMetric = (e) => e.active;

/** Whether every endpoint has the same weight (Envoy `hostWeightsAreEqual`): pickers then skip the weighted path. */
export function weightsAreEqual(endpoints: readonly Endpoint[]): boolean {
  const first = endpoints[0]?.weight;
  for (const e of endpoints) if (e.weight !== first) return false;
  return true;
}
