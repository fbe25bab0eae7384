// The one place that wires a World from a validated scenario: an endpoint set of pods for every
// service that serves, and for every call of every client pod a caller, its channel (per the data
// plane mode, see client/routes.ts) and its workload. Each gets its own named random streams, so
// variants of a scenario share their arrivals and demands.
import { RandomStreams, Simulation } from '../engine/index.ts';
import type { HandlerStepSpec, MeshSpec, Scenario } from '../scenario/schema.ts';
import { Caller } from './client/caller.ts';
import { channelFor } from './client/routes.ts';
import { WiringContext } from './client/wiring.ts';
import { closedLoop, openLoop, type RateStep } from './client/workload.ts';
import { toDistribution } from './distribution.ts';
import { scheduleIdentityFaults } from './faults/identity-faults.ts';
import { scheduleFaults } from './faults/schedule.ts';
import { identityConfig, mtlsActive } from './identity/config.ts';
import { ControlPlane, proxyCount } from './identity/control-plane.ts';
import { type IdentityLog, IdentityPlane, nullIdentityLog } from './identity/plane.ts';
import { PodIdentities } from './identity/pod-gate.ts';
import type { Measure } from './measure.ts';
import type { DownstreamSpec, Steps } from './pod/handler.ts';
import { Pod, type PodConfig } from './pod/pod.ts';
import type { Probe } from './probe.ts';
import { proxyCost } from './sidecar/profile.ts';
import { Status } from './status.ts';
import { subsetLayout, subsetOf } from './subsets.ts';
import type { Channel } from './transport/channel.ts';
import { EndpointSet } from './transport/endpoints.ts';
import type { Edge, MeshStats, World } from './world.ts';

/** Splits `total` over `parts` as evenly as whole numbers allow (the first pods take the remainder). */
export const spread = (total: number, parts: number, i: number): number => Math.floor(total / parts) + (i < total % parts ? 1 : 0);

/** Proxy CPU seconds per request, for every proxy a request passes through in this mode. */
export function cpuPerRequest(mesh: MeshSpec): number {
  if (mesh.dataPlane === 'sidecar') return 2 * proxyCost(mesh.proxy, mesh).cpu;
  if (mesh.dataPlane === 'ambient') return 2 * proxyCost('ztunnel', mesh).cpu + (mesh.waypoint ? proxyCost('waypoint', mesh).cpu : 0);
  return 0;
}

/** Memory of every proxy, at each service's largest pod count during the run. */
export function proxyMemory(scenario: Scenario): number {
  const { mesh, services, events } = scenario;
  if (mesh.dataPlane === 'sidecar') {
    const pods = Object.entries(services).reduce((n, [name, s]) => n + Math.max(s.replicas, ...events.map((e) => e.scale[name] ?? 0)), 0);
    return pods * proxyCost(mesh.proxy, mesh).memoryMb;
  }
  if (mesh.dataPlane === 'ambient')
    return mesh.nodes * proxyCost('ztunnel', mesh).memoryMb + (mesh.waypoint ? mesh.waypointReplicas * proxyCost('waypoint', mesh).memoryMb : 0);
  return 0;
}

/** Finds or adds the edge for `from` → `to` (workload calls and handler calls are kept apart). */
function edgeFor(edges: Edge[], from: string, to: string, method: string, entry: boolean, cpu: number): Edge {
  const found = edges.find((e) => e.from === from && e.to === to && e.entry === entry);
  if (found) return found;
  const edge: Edge = { index: edges.length, from, to, method, entry, proxyCpuPerRequest: cpu };
  edges.push(edge);
  return edge;
}

const calls = (step: HandlerStepSpec) => ('call' in step ? [step.call] : step.parallel.map((p) => p.call));

export function buildWorld(scenario: Scenario, seed: number, probe: Probe, identityLog: IdentityLog = nullIdentityLog): World {
  const sim = new Simulation(scenario.maxEvents);
  const streams = new RandomStreams(seed);
  const identity = mtlsActive(scenario) ? new IdentityPlane(sim, identityConfig(scenario), streams, identityLog) : undefined;
  const controlPlane = new ControlPlane(identity, proxyCount(scenario, identity));
  const podIdentities = new PodIdentities(identity);
  const measure: Measure = { from: scenario.warmup, to: scenario.duration };
  const end = scenario.duration;
  const stats: MeshStats = { connectionsOpened: 0, proxyMemoryMb: 0 };
  const ids = { next: 0 };
  const edges: Edge[] = [];
  let nodeOfNextPod = 0;
  // Pods are created before the wiring context exists (and later, by scale events); their channels are built on first use.
  let ctx: WiringContext | undefined;
  const perRequestCpu = cpuPerRequest(scenario.mesh);

  const services = new Map<string, EndpointSet>();
  for (const [name, svc] of Object.entries(scenario.services)) {
    if (!svc.pod) continue;
    const layout = subsetLayout({ ...svc, pod: svc.pod });
    const createPod = (i: number): Pod => {
      const { name: subset, pod: spec } = subsetOf(layout, i);
      const client = { service: name, index: i, node: nodeOfNextPod++ % scenario.mesh.nodes };
      const steps: Steps = spec.handler.map((step, s) =>
        calls(step).map((c, k): DownstreamSpec => {
          let channel: Channel | undefined;
          return {
            channel: () => (channel ??= channelFor(ctx as WiringContext, client, c, `handler${s}.${k}`)),
            edge: edgeFor(edges, name, c.to, c.method, false, perRequestCpu).index,
            method: c.method,
            probability: c.probability,
            deadline: c.deadline ?? Number.POSITIVE_INFINITY,
            propagate: c.propagateDeadline,
            onError: c.onError === 'propagate' || c.onError === 'ignore' ? c.onError : Status[c.onError],
          };
        }),
      );
      const config: PodConfig = {
        workers: spec.workers,
        queue: spec.queue,
        serviceTime: toDistribution(spec.serviceTime),
        dropExpired: spec.dropExpired,
        honorsCancellation: spec.honorsCancellation,
        steps,
        handler: { sim, probe, ids },
        health: { readinessProbe: spec.readinessProbe, livenessProbe: spec.livenessProbe, startupTime: spec.startupTime },
        subset,
      };
      const start = { settled: !ctx, phases: streams.stream(`pod/${name}/${i}/probes`) };
      const pod = new Pod(sim, name, i, config, measure, probe, streams.stream(`pod/${name}/${i}/faults`), start);
      podIdentities.add(pod, client.node, !ctx);
      return pod;
    };
    services.set(name, new EndpointSet(name, svc.replicas, createPod, { sim, delay: scenario.mesh.endpointDelay }));
  }
  ctx = new WiringContext(sim, scenario, streams, measure, stats, services, probe, { controlPlane, identity });
  stats.proxyMemoryMb = proxyMemory(scenario);

  const callers: Caller[] = [];
  const load = new Map<string, number>();
  for (const [name, svc] of Object.entries(scenario.services)) {
    const nodes = Array.from({ length: svc.replicas }, () => nodeOfNextPod++ % scenario.mesh.nodes);
    const scale = () => load.get(name) ?? 1;
    svc.calls.forEach((call, j) => {
      const edge = edgeFor(edges, name, call.to, call.method, true, perRequestCpu);
      for (let i = 0; i < svc.replicas; i++) {
        const stream = (purpose: string) => streams.stream(`client/${name}/${i}/call${j}/${purpose}`);
        identity?.add(`${name}/${i}`, nodes[i] as number, 'initial');
        const channel = channelFor(ctx, { service: name, index: i, node: nodes[i] as number }, call, `call${j}`);
        const headers = call.headers && Object.entries(call.headers).map(([header, h]) => ({ name: header, value: h.value, fraction: h.fraction }));
        const config = {
          edge: edge.index,
          method: call.method,
          deadline: call.deadline ?? Number.POSITIVE_INFINITY,
          hashKeys: call.hashKeys ?? 0,
          headers,
          headerRng: headers && stream('headers'),
        };
        const caller = new Caller(sim, channel, probe, stream('demand'), measure, config, ids);
        callers.push(caller);
        if (call.concurrency !== undefined) {
          const users = spread(call.concurrency, svc.replicas, i);
          closedLoop(sim, caller, users, call.thinkTime && toDistribution(call.thinkTime), end, stream('think'));
        } else {
          const steps: RateStep[] = call.schedule
            ? [...call.schedule].sort((a, b) => a.at - b.at).map((s) => ({ at: s.at, rate: s.rate / svc.replicas }))
            : [{ at: 0, rate: (call.rate as number) / svc.replicas }];
          openLoop(sim, caller, steps, end, stream('arrivals'), scale);
        }
      }
    });
  }

  for (const event of scenario.events) {
    sim.at(event.at, () => {
      for (const [name, replicas] of Object.entries(event.scale)) services.get(name)?.scale(replicas);
    });
  }
  scheduleFaults(sim, scenario, services, load);
  scheduleIdentityFaults(sim, scenario, controlPlane, identity);
  return { sim, measure, services, edges, callers, stats, end, gauges: ctx.gauges, outlier: ctx.outlier, routed: ctx.routed, identity, controlPlane };
}
