// Client workloads. Open loop: Poisson arrivals at a rate that may step over time (by memorylessness,
// redrawing at a step boundary is exact). Closed loop: users that each wait for their response, think,
// and call again. Both stop issuing at the end of the run's duration.
import type { Distribution, Simulation, Stream } from '../../engine/index.ts';
import type { Caller } from './caller.ts';

export interface RateStep {
  /** Seconds since the start from which `rate` holds. */
  at: number;
  /** Requests per second for this client pod. */
  rate: number;
}

/** Starts Poisson arrivals on `caller` following `steps` (sorted by `at`) until `end`. */
export function openLoop(sim: Simulation, caller: Caller, steps: readonly RateStep[], end: number, rng: Stream, scale: () => number = () => 1): void {
  let step = -1;
  const rateAt = (i: number) => (i >= 0 ? (steps[i] as RateStep).rate : 0) * scale();
  const nextBoundary = (i: number) => (i + 1 < steps.length ? (steps[i + 1] as RateStep).at : Number.POSITIVE_INFINITY);
  while (step + 1 < steps.length && (steps[step + 1] as RateStep).at <= sim.now) step++;

  const arrive = () => {
    caller.issue();
    plan();
  };
  const stepUp = () => {
    step++;
    plan();
  };
  const plan = (): void => {
    const rate = rateAt(step);
    const boundary = Math.min(nextBoundary(step), end);
    const gap = rate > 0 ? -Math.log(1 - rng.next()) / rate : Number.POSITIVE_INFINITY;
    if (sim.now + gap < boundary) sim.schedule(gap, arrive);
    // No arrival before the rate changes: move to the boundary and draw again at the new rate.
    else if (boundary < end) sim.at(boundary, stepUp);
  };
  plan();
}

/** Starts `users` closed-loop users on `caller`, each thinking for `think` between calls, until `end`. */
export function closedLoop(sim: Simulation, caller: Caller, users: number, think: Distribution | undefined, end: number, rng: Stream): void {
  const next = () => {
    if (sim.now >= end) return;
    caller.issue(after);
  };
  // Even with no think time the next call waits for the scheduler, so a refusal that completes at once cannot recurse.
  const after = () => {
    sim.schedule(think ? think.sample(rng) : 0, next);
  };
  // Users start spread over one think time (or together when there is none), so they do not march in step.
  for (let u = 0; u < users; u++) {
    if (think) sim.schedule(think.sample(rng), next);
    else sim.schedule(0, next);
  }
}
