// The one place that wires a World from a validated scenario: an endpoint set of pods for every
// service that serves, and for every call of every client pod a caller, its channel (per the data
// plane mode, see client/routes.ts) and its workload. Each gets its own named random streams, so
// variants of a scenario share their arrivals and demands.
import { RandomStreams, Simulation } from '../engine/index.ts';
import type { Scenario } from '../scenario/schema.ts';
import { Caller } from './client/caller.ts';
import { channelFor } from './client/routes.ts';
import { WiringContext } from './client/wiring.ts';
import { closedLoop, openLoop, type RateStep } from './client/workload.ts';
import { toDistribution } from './distribution.ts';
import type { Measure } from './measure.ts';
import { Pod } from './pod/pod.ts';
import type { Probe } from './probe.ts';
import { EndpointSet } from './transport/endpoints.ts';
import type { Edge, MeshStats, World } from './world.ts';

/** Splits `total` over `parts` as evenly as whole numbers allow (the first pods take the remainder). */
export const spread = (total: number, parts: number, i: number): number => Math.floor(total / parts) + (i < total % parts ? 1 : 0);

/** Proxy CPU seconds per request, for every proxy a request passes through in this mode. */
function cpuPerRequest(ctx: WiringContext): number {
  const mesh = ctx.scenario.mesh;
  if (mesh.dataPlane === 'sidecar') return 2 * ctx.cost(mesh.proxy).cpu;
  if (mesh.dataPlane === 'ambient') return 2 * ctx.cost('ztunnel').cpu + (mesh.waypoint ? ctx.cost('waypoint').cpu : 0);
  return 0;
}

/** Memory of every proxy, at each service's largest pod count during the run. */
function proxyMemory(ctx: WiringContext): number {
  const { mesh, services, events } = ctx.scenario;
  if (mesh.dataPlane === 'sidecar') {
    const pods = Object.entries(services).reduce((n, [name, s]) => n + Math.max(s.replicas, ...events.map((e) => e.scale[name] ?? 0)), 0);
    return pods * ctx.cost(mesh.proxy).memoryMb;
  }
  if (mesh.dataPlane === 'ambient')
    return mesh.nodes * ctx.cost('ztunnel').memoryMb + (mesh.waypoint ? mesh.waypointReplicas * ctx.cost('waypoint').memoryMb : 0);
  return 0;
}

export function buildWorld(scenario: Scenario, seed: number, probe: Probe): World {
  const sim = new Simulation(scenario.maxEvents);
  const streams = new RandomStreams(seed);
  const measure: Measure = { from: scenario.warmup, to: scenario.duration };
  const end = scenario.duration;
  const stats: MeshStats = { connectionsOpened: 0, proxyMemoryMb: 0 };
  let nodeOfNextPod = 0;

  const services = new Map<string, EndpointSet>();
  for (const [name, svc] of Object.entries(scenario.services)) {
    if (!svc.pod) continue;
    const config = { workers: svc.pod.workers, queue: svc.pod.queue, serviceTime: toDistribution(svc.pod.serviceTime) };
    services.set(name, new EndpointSet(name, svc.replicas, (i) => new Pod(sim, name, i, config, measure, probe)));
  }
  const ctx = new WiringContext(sim, scenario, streams, measure, stats, services);
  stats.proxyMemoryMb = proxyMemory(ctx);
  const perRequestCpu = cpuPerRequest(ctx);

  const edges: Edge[] = [];
  const callers: Caller[] = [];
  const ids = { next: 0 };
  for (const [name, svc] of Object.entries(scenario.services)) {
    const nodes = Array.from({ length: svc.replicas }, () => nodeOfNextPod++ % scenario.mesh.nodes);
    svc.calls.forEach((call, j) => {
      const edge: Edge = { index: edges.length, from: name, to: call.to, method: call.method, proxyCpuPerRequest: perRequestCpu };
      edges.push(edge);
      for (let i = 0; i < svc.replicas; i++) {
        const stream = (purpose: string) => streams.stream(`client/${name}/${i}/call${j}/${purpose}`);
        const channel = channelFor(ctx, { service: name, index: i, node: nodes[i] as number }, call, j);
        const config = { edge: edge.index, method: call.method, deadline: call.deadline ?? Number.POSITIVE_INFINITY, hashKeys: call.hashKeys ?? 0 };
        const caller = new Caller(sim, channel, probe, stream('demand'), measure, config, ids);
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

  for (const event of scenario.events) {
    sim.at(event.at, () => {
      for (const [name, replicas] of Object.entries(event.scale)) services.get(name)?.scale(replicas);
    });
  }
  return { sim, measure, services, edges, callers, stats, end };
}
