// Wires a World at the flow level (docs/certificates.md): the same pods, endpoint sets, identity plane, control plane
// and faults as the request level, but each client workload's calls are rates carried by L7 or L4 flow clients whose
// connections and handshakes are events. Every client is brought up to date at each time-series window boundary, so
// every amount it reports lies inside one window.
import { RandomStreams, Simulation, type Stream } from '../../engine/index.ts';
import type { Scenario } from '../../scenario/schema.ts';
import { cpuPerRequest, proxyMemory } from '../build.ts';
import type { ClientPod } from '../client/routes.ts';
import { toDistribution } from '../distribution.ts';
import { scheduleIdentityFaults } from '../faults/identity-faults.ts';
import { scheduleFaults } from '../faults/schedule.ts';
import { identityConfig, mtlsActive } from '../identity/config.ts';
import { ControlPlane, proxyCount } from '../identity/control-plane.ts';
import { type IdentityLog, IdentityPlane, nullIdentityLog } from '../identity/plane.ts';
import { PodIdentities } from '../identity/pod-gate.ts';
import type { Measure } from '../measure.ts';
import { Pod } from '../pod/pod.ts';
import type { Probe } from '../probe.ts';
import { transportFailure } from '../resilience/attempt-result.ts';
import { proxyCost } from '../sidecar/profile.ts';
import { retryConfig } from '../sidecar/retry-config.ts';
import { EndpointSet } from '../transport/endpoints.ts';
import type { Edge, MeshStats, World } from '../world.ts';
import type { FlowClient } from './client.ts';
import { FlowContext } from './context.ts';
import { L4Client } from './l4-client.ts';
import { L7Client } from './l7-client.ts';
import type { FlowLog } from './log.ts';
import { windowSteps, wireRequestWindows } from './request-windows.ts';

const INF = Number.POSITIVE_INFINITY;

export function buildFlowWorld(scenario: Scenario, seed: number, probe: Probe, log: FlowLog, identityLog: IdentityLog = nullIdentityLog): World {
  const sim = new Simulation(scenario.maxEvents);
  const streams = new RandomStreams(seed);
  const measure: Measure = { from: scenario.warmup, to: scenario.duration };
  const end = scenario.duration;
  const stats: MeshStats = { connectionsOpened: 0, proxyMemoryMb: 0 };
  const mesh = scenario.mesh;
  const identity = mtlsActive(scenario) ? new IdentityPlane(sim, identityConfig(scenario), streams, identityLog) : undefined;
  const controlPlane = new ControlPlane(identity, proxyCount(scenario, identity));
  const podIdentities = new PodIdentities(identity);
  const ctx = new FlowContext(sim, identity, log, measure, stats);
  let nodeOfNextPod = 0;
  let started = false;
  const ids = { next: 0 };

  // Failed connections try again when a certificate, the trust bundle or a pod's readiness changes (deferred to
  // after every listener of the change has run, so a pod's gate is open by then).
  const dirty = new Set<string>();
  let everything = false;
  let _flush: ReturnType<Simulation['schedule']> | undefined;
  const retryAll = () => {
    _flush = undefined;
    if (everything) for (const c of clients) c.retryFailed();
    else
      for (const name of dirty) {
        for (const c of byWorkload.get(name) ?? []) c.retryFailed();
        const pod = pods.get(name);
        if (pod) for (const c of clients) pod.accepting ? c.retryFailed(pod) : c.podGone(pod);
      }
    dirty.clear();
    everything = false;
  };
  const changed = (name: string | undefined): void => {
    if (name === undefined) everything = true;
    else dirty.add(name);
    _flush ??= sim.schedule(0, retryAll, undefined, true);
  };
  identity?.onChange(changed);

  // 1. Pods: as at the request level (they serve no RPC one by one; their `requests` count what flows reach them).
  const pods = new Map<string, Pod>();
  const services = new Map<string, EndpointSet>();
  for (const [name, svc] of Object.entries(scenario.services)) {
    const spec = svc.pod;
    if (!spec) continue;
    const create = (i: number): Pod => {
      const node = nodeOfNextPod++ % mesh.nodes;
      const config = {
        workers: spec.workers,
        queue: spec.queue,
        serviceTime: toDistribution(spec.serviceTime),
        dropExpired: false,
        honorsCancellation: false,
        steps: [],
        handler: { sim, probe, ids },
        health: { readinessProbe: spec.readinessProbe, livenessProbe: spec.livenessProbe, startupTime: spec.startupTime },
      };
      const start = { settled: !started, phases: streams.stream(`pod/${name}/${i}/probes`) };
      const pod = new Pod(sim, name, i, config, measure, probe, streams.stream(`pod/${name}/${i}/faults`), start);
      pods.set(pod.name, pod);
      podIdentities.add(pod, node, !started);
      // A pod that stops or starts accepting: connections to it fail, or failed ones try again.
      pod.onReadyChange(() => changed(pod.name));
      // A new container: the old one's connections died with it; clients reconnect (and fail until it is ready).
      pod.onStart(() => {
        for (const c of clients) c.podGone(pod);
      });
      return pod;
    };
    services.set(name, new EndpointSet(name, svc.replicas, create, { sim, delay: mesh.endpointDelay }));
  }

  // 2. Clients: one flow client per calling pod and call.
  const edges: Edge[] = [];
  const clients: FlowClient[] = [];
  const byWorkload = new Map<string, FlowClient[]>();
  const setup = scenario.network.connectRtts * 2 * scenario.network.latency + (identity?.config.handshakeLatency ?? 0);
  const views = new Map<string, ReturnType<ControlPlane['view']>>();
  const view = (dest: string) => {
    const set = services.get(dest) as EndpointSet;
    if (mesh.dataPlane === 'none') return set;
    let v = views.get(dest);
    if (!v) views.set(dest, (v = controlPlane.view(set)));
    return v;
  };
  const latencyRng = streams.stream('flow/latency');
  const latencySamples: number[] = [];
  const nodesOf = new Map<string, number[]>();
  const windows = scenario.traffic.requestWindows;
  for (const [name, svc] of Object.entries(scenario.services)) {
    const nodes = Array.from({ length: svc.replicas }, () => nodeOfNextPod++ % mesh.nodes);
    nodesOf.set(name, nodes);
    svc.calls.forEach((call, j) => {
      const dest = scenario.services[call.to] as Scenario['services'][string];
      const edge: Edge = { index: edges.length, from: name, to: call.to, method: call.method, entry: true, proxyCpuPerRequest: cpuPerRequest(mesh) };
      edges.push(edge);
      const tp = scenario.trafficPolicy[call.to];
      const { policy } = retryConfig(scenario.routes[call.to], tp, mesh.proxy);
      const retries = mesh.dataPlane === 'sidecar' && policy.retryable(transportFailure('connect-failure')) ? Math.min(policy.maxRetries, 1000) : 0;
      const base = call.schedule ? [...call.schedule].sort((a, b) => a.at - b.at) : [{ at: 0, rate: call.rate as number }];
      // Inside request windows the request level carries the traffic.
      const steps = windows.length > 0 ? windowSteps(base, windows, false) : base;
      for (let i = 0; i < svc.replicas; i++) {
        const client: ClientPod = { service: name, index: i, node: nodes[i] as number };
        const workload = `${name}/${i}`;
        identity?.add(workload, client.node, 'initial');
        const flow: FlowClient =
          mesh.dataPlane === 'sidecar'
            ? new L7Client(ctx, {
                workload,
                edge: edge.index,
                view: view(call.to),
                retries,
                avoidPrevious: policy.avoidPreviousHosts,
                maxAge: tp?.connectionPool.tcp.maxConnectionDuration ?? INF,
                setup,
              })
            : l4(i, j);
        function l4(index: number, callIndex: number): L4Client {
          const rng = streams.stream(`flow/${name}/${index}/call${callIndex}/l4`);
          const age = dest.server.maxConnectionAge;
          return new L4Client(ctx, {
            workload,
            edge: edge.index,
            view: view(call.to),
            slots: call.connections,
            maxAge: () => (age === undefined ? INF : age * (0.9 + 0.2 * rng.next())),
            setup,
            mtls: mesh.dataPlane === 'ambient' && identity !== undefined,
            rng,
          });
        }
        clients.push(flow);
        byWorkload.set(workload, [...(byWorkload.get(workload) ?? []), flow]);
        for (const step of steps) sim.at(step.at, () => flow.setRate(step.rate / svc.replicas), undefined, true);
      }
      // With request windows the latency figures are those measured in them.
      if (windows.length === 0) for (let k = 0; k < 200; k++) latencySamples.push(pathLatency(scenario, call.to, latencyRng));
    });
  }
  started = true;

  // 4. Scale events, faults, window boundaries and the end.
  for (const event of scenario.events) {
    sim.at(
      event.at,
      () => {
        for (const [name, replicas] of Object.entries(event.scale)) services.get(name)?.scale(replicas);
        for (const pod of pods.values()) if (!pod.live) for (const c of clients) c.podGone(pod);
      },
      undefined,
      true,
    );
  }
  scheduleFaults(sim, scenario, services, new Map());
  scheduleIdentityFaults(sim, scenario, controlPlane, identity);
  const boundary = sim.every(scenario.window, () => {
    for (const c of clients) c.integrate();
    if (sim.now + scenario.window > end + 1e-9) boundary.cancel();
  });
  sim.at(end, () => {
    for (const c of clients) c.finish();
  });
  stats.proxyMemoryMb = proxyMemory(scenario);
  const requests = wireRequestWindows({
    sim,
    scenario,
    streams,
    measure,
    stats,
    services,
    probe,
    controlPlane,
    identity,
    pods,
    flowClients: byWorkload,
    edges,
    nodes: nodesOf,
    ids,
  });
  const world = { sim, measure, services, edges, callers: requests.callers, stats, end, gauges: requests.gauges, identity, controlPlane };
  return { ...world, outlier: requests.outlier, routed: requests.routed, flows: { latencySamples } };
}

/** A request's latency with no queueing anywhere: the pod's service time, the network hops and the proxies. */
function pathLatency(scenario: Scenario, dest: string, rng: Stream): number {
  const mesh = scenario.mesh;
  const spec = scenario.services[dest]?.pod;
  const service = spec ? toDistribution(spec.serviceTime).sample(rng) : 0;
  const proxy = mesh.dataPlane === 'sidecar' ? proxyCost(mesh.proxy, mesh) : mesh.dataPlane === 'ambient' ? proxyCost('ztunnel', mesh) : undefined;
  const proxies = proxy ? proxy.latency.sample(rng) + proxy.latency.sample(rng) : 0;
  return service + 2 * scenario.network.latency + proxies;
}
