// Schedules the scenario's faults: each starts at `at` and ends after `for` (or lasts the run), on a
// service (every pod it has when the fault starts), one subset's pods (`payments@v2`) or one pod
// (`payments/0`). `load` multiplies the open-loop rate of the target's calls from its next arrival on.
// `restart` kills and restarts containers: all at once, or rolling (a StatefulSet's order: highest
// index first, the next once the previous is ready again and has stayed so for minReadySeconds).
import type { Simulation } from '../../engine/index.ts';
import { type FaultSpec, parseTarget, type Scenario } from '../../scenario/schema.ts';
import type { PodFault } from '../pod/faults.ts';
import type { Pod } from '../pod/pod.ts';
import { Status } from '../status.ts';
import type { EndpointSet } from '../transport/endpoints.ts';
import { isControlFault } from './identity-faults.ts';

function podFault(f: FaultSpec): PodFault | undefined {
  const fault: PodFault = {};
  if (f.errors) {
    const pushback = f.errors.pushback === undefined ? undefined : f.errors.pushback === 'stop' ? -1 : f.errors.pushback * 1000;
    fault.errors = { rate: f.errors.rate, status: Status[f.errors.status], inTrailers: f.errors.in === 'trailers', pushbackMs: pushback };
  }
  if (f.slowdown !== undefined) fault.slowdown = f.slowdown;
  if (f.latency !== undefined) fault.latency = f.latency;
  if (f.hang) fault.hang = true;
  return Object.keys(fault).length > 0 ? fault : undefined;
}

function targets(f: FaultSpec, services: ReadonlyMap<string, EndpointSet>): Pod[] {
  const { service, pod, subset } = parseTarget(f.target);
  const set = services.get(service);
  if (!set) return [];
  if (pod !== undefined) return set.all.filter((p) => p.index === pod);
  if (subset !== undefined) return set.live.filter((p) => p.subset === subset);
  return [...set.live];
}

/** Restarts `pods` one at a time, the next when the previous is ready (as the API server sees it) plus `minReady`. */
function rollingRestart(sim: Simulation, pods: Pod[], minReady: number): void {
  const order = [...pods].sort((a, b) => b.index - a.index);
  let waiting: Pod | undefined;
  const next = (k: number): void => {
    const pod = order[k];
    if (!pod) return;
    const after = () => sim.schedule(minReady, () => next(k + 1));
    pod.restartContainer();
    if (pod.ready) return void after();
    waiting = pod;
    pod.onReadyChange((ready) => {
      if (!ready || waiting !== pod) return;
      waiting = undefined;
      after();
    });
  };
  next(0);
}

/** Faults on the CA and the control plane are scheduled by identity-faults.ts. */
export function scheduleFaults(sim: Simulation, scenario: Scenario, services: ReadonlyMap<string, EndpointSet>, load: Map<string, number>): void {
  for (const f of scenario.faults) {
    if (isControlFault(f, scenario)) continue;
    const until = f.for === undefined ? Number.POSITIVE_INFINITY : f.at + f.for;
    const fault = podFault(f);
    const service = parseTarget(f.target).service;
    sim.at(f.at, () => {
      const pods = targets(f, services);
      if (fault) for (const p of pods) p.faults.apply(fault);
      if (f.load !== undefined) load.set(service, (load.get(service) ?? 1) * f.load);
      if (f.crash) for (const p of pods) p.crash();
      if (f.restart === 'all') for (const p of pods) p.restartContainer();
      else if (f.restart) rollingRestart(sim, pods, f.restart.rolling.minReadySeconds);
      const restart = f.crash?.restartAfter ?? f.for;
      if (f.crash && restart !== undefined)
        sim.schedule(restart, () => {
          for (const p of pods) p.restart();
        });
      if (until !== Number.POSITIVE_INFINITY)
        sim.at(until, () => {
          if (fault) for (const p of pods) p.faults.lift(fault);
          if (f.load !== undefined) load.set(service, (load.get(service) ?? 1) / f.load);
        });
    });
  }
}
