// The control plane as the data plane depends on it (REFERENCE §6.1, §6.2): proxies learn a service's ready pods
// from it (a pod without a certificate is not ready: pod-gate.ts); while it is down they keep the last endpoints they
// were sent (new pods unknown, removed pods still targeted), nothing is signed, and on recovery every proxy
// reconnects at once and is brought up to date.
import type { Scenario } from '../../scenario/schema.ts';
import type { Pod } from '../pod/pod.ts';
import { type EndpointSet, type Endpoints, SubsetEndpoints } from '../transport/endpoints.ts';
import type { IdentityPlane } from './plane.ts';

/** A proxy's copy of a service's endpoints, as the control plane last sent it. */
export class RelayedEndpoints implements Endpoints {
  current: readonly Pod[];
  readonly subsetName = undefined;
  private readonly listeners: ((pods: readonly Pod[]) => void)[] = [];
  private readonly source: EndpointSet;
  private readonly subsets = new Map<string, Endpoints>();

  constructor(source: EndpointSet) {
    this.source = source;
    this.current = source.current;
  }

  onChange(listener: (pods: readonly Pod[]) => void): void {
    this.listeners.push(listener);
  }

  /** The pods of one subset, following this copy. */
  subset(name: string): Endpoints {
    let view = this.subsets.get(name);
    if (!view) this.subsets.set(name, (view = new SubsetEndpoints(this, name)));
    return view;
  }

  /** Brings the copy up to date with the endpoint set. */
  push(): void {
    if (this.current === this.source.current) return;
    this.current = this.source.current;
    for (const l of this.listeners) l(this.current);
  }
}

/** What the data plane's wiring needs of the control side. */
export interface MeshControl {
  readonly controlPlane: ControlPlane;
  /** Workload certificates and mTLS verdicts; undefined without mTLS. */
  readonly identity: IdentityPlane | undefined;
  /**
   * True when `client` already holds an open connection to `server` that a new one stands for (a request window inside
   * a flow-level run takes over the flow level's connections): no handshake then.
   */
  readonly inherits?: (client: string, server: string) => boolean;
}

export class ControlPlane {
  private down = false;
  private readonly views = new Map<EndpointSet, RelayedEndpoints>();
  private readonly identity: IdentityPlane | undefined;
  private readonly proxies: () => number;
  /** Proxies that reconnected at once when the control plane came back (xDS streams), summed over recoveries. */
  reconnects = 0;

  /** `proxies`: how many proxies hold an xDS stream now (sidecars, or ztunnels and waypoints). */
  constructor(identity: IdentityPlane | undefined, proxies: () => number) {
    this.identity = identity;
    this.proxies = proxies;
  }

  get inOutage(): boolean {
    return this.down;
  }

  /** The proxies' copy of `set` (one per service), updated at once while the control plane is up, frozen while it is down. */
  view(set: EndpointSet): RelayedEndpoints {
    let view = this.views.get(set);
    if (view) return view;
    const made = new RelayedEndpoints(set);
    set.onChange(() => {
      if (!this.down) made.push();
    });
    this.views.set(set, (view = made));
    return view;
  }

  setOutage(down: boolean): void {
    if (down === this.down) return;
    this.down = down;
    this.identity?.setOutage('control-plane', down);
    if (down) return;
    this.reconnects += this.proxies();
    for (const v of this.views.values()) v.push();
  }
}

/** Proxies with an xDS stream: one sidecar per workload, or a ztunnel per node and the waypoints. */
export function proxyCount(scenario: Scenario, identity: IdentityPlane | undefined): () => number {
  const mesh = scenario.mesh;
  if (mesh.dataPlane === 'ambient') return () => mesh.nodes + (mesh.waypoint ? mesh.waypointReplicas * Object.keys(scenario.services).length : 0);
  if (mesh.dataPlane === 'sidecar') return () => identity?.count ?? 0;
  return () => 0;
}
