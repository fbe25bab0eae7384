// The control plane as the data plane depends on it (REFERENCE §6.1, §6.2): proxies learn a service's ready pods
// from it (a pod without a certificate is not ready: pod-gate.ts); while it is down they keep the last endpoints they
// were sent (new pods unknown, removed pods still targeted), nothing is signed, and on recovery every proxy
// reconnects at once and is brought up to date.
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

export class ControlPlane {
  private down = false;
  private readonly views: RelayedEndpoints[] = [];
  private readonly identity: IdentityPlane | undefined;
  /** Proxies that reconnected at once when the control plane came back (xDS streams), summed over recoveries. */
  reconnects = 0;

  constructor(identity: IdentityPlane | undefined) {
    this.identity = identity;
  }

  get inOutage(): boolean {
    return this.down;
  }

  /** A proxy's view of `set`, updated at once while the control plane is up and frozen while it is down. */
  view(set: EndpointSet): RelayedEndpoints {
    const view = new RelayedEndpoints(set);
    set.onChange(() => {
      if (!this.down) view.push();
    });
    this.views.push(view);
    return view;
  }

  setOutage(down: boolean): void {
    if (down === this.down) return;
    this.down = down;
    this.identity?.setOutage('control-plane', down);
    if (down) return;
    this.reconnects += this.views.length;
    for (const v of this.views) v.push();
  }
}
