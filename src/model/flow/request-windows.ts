// Request windows inside a flow-level run (`traffic.requestWindows`): inside each window every RPC is simulated as at
// the request level — callers, sidecars, connections, pods' queues — on the same pods, certificates and control
// plane. The flow clients pause meanwhile; the request level's first connection from a client to a pod takes over
// the flow level's open connection when there is one (no handshake, as the connection was already up) and sets up
// a new one, handshake included, when there is none. After the window the flow level resumes where it paused.
import type { RandomStreams, Simulation } from '../../engine/index.ts';
import type { Scenario } from '../../scenario/schema.ts';
import { Caller } from '../client/caller.ts';
import { channelFor } from '../client/routes.ts';
import { WiringContext } from '../client/wiring.ts';
import { openLoop, type RateStep } from '../client/workload.ts';
import type { ControlPlane } from '../identity/control-plane.ts';
import type { IdentityPlane } from '../identity/plane.ts';
import type { Measure } from '../measure.ts';
import type { Pod } from '../pod/pod.ts';
import type { Probe } from '../probe.ts';
import type { OutlierLog } from '../sidecar/outlier.ts';
import type { EndpointSet } from '../transport/endpoints.ts';
import type { Edge, Gauge, MeshStats } from '../world.ts';

export interface Window {
  readonly at: number;
  readonly for: number;
}

/** A flow client as the windows see it. */
export interface Pausable {
  setPaused(paused: boolean): void;
  hasUp(pod: Pod): boolean;
}

/** The rate steps of `base` with the rate kept inside the windows (`inside`) or outside them. */
export function windowSteps(base: readonly RateStep[], windows: readonly Window[], inside: boolean): RateStep[] {
  const rateAt = (t: number) => {
    let rate = 0;
    for (const s of base) if (s.at <= t) rate = s.rate;
    return rate;
  };
  const within = (t: number) => windows.some((w) => t >= w.at && t < w.at + w.for);
  const times = [...new Set([0, ...base.map((s) => s.at), ...windows.flatMap((w) => [w.at, w.at + w.for])])].sort((a, b) => a - b);
  return times.map((at) => ({ at, rate: within(at) === inside ? rateAt(at) : 0 }));
}

export interface RequestWindowWiring {
  sim: Simulation;
  scenario: Scenario;
  streams: RandomStreams;
  measure: Measure;
  stats: MeshStats;
  services: Map<string, EndpointSet>;
  probe: Probe;
  controlPlane: ControlPlane;
  identity: IdentityPlane | undefined;
  pods: ReadonlyMap<string, Pod>;
  flowClients: ReadonlyMap<string, readonly Pausable[]>;
  edges: readonly Edge[];
  /** Each calling service's pods' nodes. */
  nodes: ReadonlyMap<string, readonly number[]>;
  ids: { next: number };
}

export interface RequestWindowParts {
  callers: Caller[];
  gauges: Gauge[];
  outlier: OutlierLog;
  routed: ReadonlySet<string>;
}

/** Wires the request level for the scenario's request windows; returns what it adds to the World. */
export function wireRequestWindows(w: RequestWindowWiring): RequestWindowParts {
  const { sim, scenario } = w;
  const windows = [...scenario.traffic.requestWindows].sort((a, b) => a.at - b.at);
  if (windows.length === 0) return { callers: [], gauges: [], outlier: { ejections: [], clusters: [], panics: [] }, routed: new Set() };
  const inherited = new Set<string>();
  const inherits = (client: string, server: string) => {
    const key = `${client}>${server}`;
    const pod = w.pods.get(server);
    if (inherited.has(key) || !pod || !(w.flowClients.get(client) ?? []).some((c) => c.hasUp(pod))) return false;
    inherited.add(key);
    return true;
  };
  const control = { controlPlane: w.controlPlane, identity: w.identity, inherits };
  const ctx = new WiringContext(sim, scenario, w.streams, w.measure, w.stats, w.services, w.probe, control);
  const all = [...w.flowClients.values()].flat();
  for (const win of windows) {
    sim.at(
      win.at,
      () => {
        inherited.clear();
        for (const c of all) c.setPaused(true);
      },
      undefined,
      true,
    );
    sim.at(
      win.at + win.for,
      () => {
        for (const c of all) c.setPaused(false);
      },
      undefined,
      true,
    );
  }
  const callers: Caller[] = [];
  let edge = 0;
  for (const [name, svc] of Object.entries(scenario.services)) {
    svc.calls.forEach((call, j) => {
      const e = w.edges[edge++] as Edge;
      const base = call.schedule ? [...call.schedule].sort((a, b) => a.at - b.at) : [{ at: 0, rate: call.rate as number }];
      const steps = windowSteps(base, windows, true).map((s) => ({ at: s.at, rate: s.rate / svc.replicas }));
      for (let i = 0; i < svc.replicas; i++) {
        const stream = (purpose: string) => w.streams.stream(`client/${name}/${i}/call${j}/${purpose}`);
        const node = (w.nodes.get(name) ?? [])[i] ?? 0;
        const channel = channelFor(ctx, { service: name, index: i, node }, call, `call${j}`);
        const config = { edge: e.index, method: call.method, deadline: call.deadline ?? Number.POSITIVE_INFINITY, hashKeys: call.hashKeys ?? 0 };
        const caller = new Caller(sim, channel, w.probe, stream('demand'), w.measure, config, w.ids);
        callers.push(caller);
        openLoop(sim, caller, steps, scenario.duration, stream('arrivals'));
      }
    });
  }
  return { callers, gauges: ctx.gauges, outlier: ctx.outlier, routed: ctx.routed };
}
