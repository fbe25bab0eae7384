// The pods of a destination service as the cluster knows them. Scaling adds pods (new indices) or
// removes the highest ones. Everyone who balances over the service (kube-proxy, proxies, gRPC
// clients) reads `current`, the ready pods as they were `endpointDelay` ago: a readiness change or a
// removal reaches them only after the EndpointSlice update has propagated (docs/health.md).
import type { Simulation } from '../../engine/index.ts';
import type { Pod } from '../pod/pod.ts';

export interface EndpointOptions {
  sim: Simulation;
  /** Seconds from a readiness change to every subscriber seeing it (mesh.endpointDelay). */
  delay: number;
}

/** What a balancer watches: the pods that take traffic now, and a hook for changes. */
export interface Endpoints {
  readonly current: readonly Pod[];
  /** The subset these are the pods of, or undefined for a whole service. */
  readonly subsetName: string | undefined;
  onChange(listener: (pods: readonly Pod[]) => void): void;
}

export class EndpointSet implements Endpoints {
  readonly service: string;
  readonly subsetName = undefined;
  /** Every pod ever created, in index order (removed ones included), for results. */
  readonly all: Pod[] = [];
  /** Pods not scaled away, ready or not (fault targets, scaling). */
  live: readonly Pod[] = [];
  /** The ready pods the subscribers know of: take new connections and requests. A new array on every change. */
  current: readonly Pod[] = [];
  private readonly listeners: ((pods: readonly Pod[]) => void)[] = [];
  private readonly create: (index: number) => Pod;
  private readonly options: EndpointOptions;
  /** A snapshot is already due at this instant (changes at one instant publish once). */
  private snapshotAt = Number.NaN;
  private readonly subsets = new Map<string, Endpoints>();

  constructor(service: string, replicas: number, create: (index: number) => Pod, options: EndpointOptions) {
    this.service = service;
    this.create = create;
    this.options = options;
    this.scale(replicas);
    // The pods that exist when the run starts are known to everyone from the start.
    this.publish(this.ready());
  }

  onChange(listener: (pods: readonly Pod[]) => void): void {
    this.listeners.push(listener);
  }

  /** Sets the number of live pods: adds new ones, or removes (drains) the highest-numbered. */
  scale(replicas: number): void {
    const live = [...this.live];
    while (live.length < replicas) {
      const pod = this.create(this.all.length);
      this.all.push(pod);
      live.push(pod);
      pod.onReadyChange(() => this.changed());
    }
    const removed: Pod[] = [];
    while (live.length > replicas) removed.push(live.pop() as Pod);
    this.live = live;
    for (const pod of removed) pod.remove();
    this.changed();
  }

  /** The ready pods now, as the API server has them. */
  ready(): Pod[] {
    return this.live.filter((p) => p.ready);
  }

  private changed(): void {
    const { sim, delay } = this.options;
    if (delay <= 0) return this.publish(this.ready());
    // The snapshot is taken after every change of this instant, and published `delay` later.
    if (this.snapshotAt === sim.now) return;
    this.snapshotAt = sim.now;
    sim.schedule(0, () => {
      const pods = this.ready();
      sim.schedule(delay, () => this.publish(pods));
    });
  }

  private publish(pods: Pod[]): void {
    const same = pods.length === this.current.length && pods.every((p, i) => p === this.current[i]);
    if (same) return;
    this.current = pods;
    for (const l of this.listeners) l(pods);
  }

  /** The pods of one subset (an Envoy subset cluster's endpoints), following every change of the set. */
  subset(name: string): Endpoints {
    let view = this.subsets.get(name);
    if (!view) this.subsets.set(name, (view = new SubsetEndpoints(this, name)));
    return view;
  }
}

/** One subset's share of an endpoint set (or of a proxy's copy of one): its pods in index order. */
export class SubsetEndpoints implements Endpoints {
  current: readonly Pod[];
  readonly subsetName: string;
  private readonly listeners: ((pods: readonly Pod[]) => void)[] = [];

  constructor(set: Endpoints, name: string) {
    this.subsetName = name;
    this.current = set.current.filter((p) => p.subset === name);
    set.onChange((pods) => {
      const mine = pods.filter((p) => p.subset === name);
      if (mine.length === this.current.length && mine.every((p, i) => p === this.current[i])) return;
      this.current = mine;
      for (const l of this.listeners) l(mine);
    });
  }

  onChange(listener: (pods: readonly Pod[]) => void): void {
    this.listeners.push(listener);
  }
}
