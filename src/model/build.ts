// The one place that wires a World from a validated scenario: pods for every service that serves,
// and for every call of every client pod a caller, its channel and its workload. Each gets its own
// named random streams, so variants of a scenario share their arrivals and demands.
import { RandomStreams, Simulation } from '../engine/index.ts';
import type { Scenario } from '../scenario/schema.ts';
import { Caller } from './client/caller.ts';
import { closedLoop, openLoop, type RateStep } from './client/workload.ts';
import { toDistribution } from './distribution.ts';
import type { Measure } from './measure.ts';
import { Pod } from './pod/pod.ts';
import type { Probe } from './probe.ts';
import { randomPodChannel } from './transport/channel.ts';
import type { Edge, World } from './world.ts';

/** Splits `total` over `parts` as evenly as whole numbers allow (the first pods take the remainder). */
export const spread = (total: number, parts: number, i: number): number => Math.floor(total / parts) + (i < total % parts ? 1 : 0);

export function buildWorld(scenario: Scenario, seed: number, probe: Probe): World {
  const sim = new Simulation(scenario.maxEvents);
  const streams = new RandomStreams(seed);
  const measure: Measure = { from: scenario.warmup, to: scenario.duration };
  const end = scenario.duration;

  const pods = new Map<string, Pod[]>();
  for (const [name, svc] of Object.entries(scenario.services)) {
    if (!svc.pod) continue;
    const config = { workers: svc.pod.workers, queue: svc.pod.queue, serviceTime: toDistribution(svc.pod.serviceTime) };
    pods.set(
      name,
      Array.from({ length: svc.replicas }, (_, i) => new Pod(sim, name, i, config, measure, probe)),
    );
  }

  const edges: Edge[] = [];
  const callers: Caller[] = [];
  const ids = { next: 0 };
  for (const [name, svc] of Object.entries(scenario.services)) {
    svc.calls.forEach((call, j) => {
      const edge: Edge = { index: edges.length, from: name, to: call.to, method: call.method };
      edges.push(edge);
      const destination = pods.get(call.to) ?? [];
      for (let i = 0; i < svc.replicas; i++) {
        const stream = (purpose: string) => streams.stream(`client/${name}/${i}/call${j}/${purpose}`);
        const channel = randomPodChannel(destination, stream('lb'));
        const caller = new Caller(
          sim,
          channel,
          probe,
          stream('demand'),
          measure,
          { edge: edge.index, method: call.method, deadline: call.deadline ?? Number.POSITIVE_INFINITY },
          ids,
        );
        callers.push(caller);
        if (call.concurrency !== undefined) {
          const users = spread(call.concurrency, svc.replicas, i);
          closedLoop(sim, caller, users, call.thinkTime && toDistribution(call.thinkTime), end, stream('think'));
        } else {
          const steps: RateStep[] = call.schedule
            ? [...call.schedule].sort((a, b) => a.at - b.at).map((s) => ({ at: s.at, rate: s.rate / svc.replicas }))
            : [{ at: 0, rate: (call.rate as number) / svc.replicas }];
          openLoop(sim, caller, steps, end, stream('arrivals'));
        }
      }
    });
  }
  return { sim, measure, pods, edges, callers, end };
}
