// An L7 proxy's outbound cluster for one destination: it chooses a pod for every request. Each
// Envoy worker thread keeps its own balancer state and its own connections to every pod, and sees
// only its own active requests (Envoy FAQ "concurrency_lb"; REFERENCE §2.1 threading). Linkerd
// shares one balancer per destination, so it runs with a single worker here.
import type { Stream } from '../../engine/index.ts';
import type { Endpoint, Picker } from '../balancer/types.ts';
import type { Pod } from '../pod/pod.ts';
import type { Done, Rpc } from '../rpc.ts';
import type { EndpointSet } from '../transport/endpoints.ts';
import { type Connect, NO_HEALTHY_UPSTREAM, UpstreamPool } from '../transport/pools.ts';

interface LbEndpoint extends Endpoint {
  readonly pod: Pod;
  readonly pool: UpstreamPool;
}

export class ProxyWorker {
  private endpoints: LbEndpoint[] = [];
  private readonly byPod = new Map<Pod, LbEndpoint>();
  private readonly picker: Picker<LbEndpoint>;
  private readonly rng: Stream;
  private readonly connect: Connect;

  constructor(endpoints: EndpointSet, picker: Picker<LbEndpoint>, rng: Stream, connect: Connect) {
    this.picker = picker;
    this.rng = rng;
    this.connect = connect;
    this.update(endpoints.current);
    endpoints.onChange((pods) => this.update(pods));
  }

  /** Connections this worker opened. */
  get opened(): number {
    let n = 0;
    for (const e of this.byPod.values()) n += e.pool.opened;
    return n;
  }

  send(rpc: Rpc, done: Done): void {
    if (this.endpoints.length === 0) return done(NO_HEALTHY_UPSTREAM);
    const e = this.picker.pick(this.endpoints, this.rng, rpc.hashKey);
    e.active++;
    e.pool.send(rpc, (result) => {
      e.active--;
      done(result);
    });
  }

  private update(pods: readonly Pod[]): void {
    this.endpoints = pods.map((pod) => {
      let e = this.byPod.get(pod);
      if (!e) {
        e = { id: pod.index, weight: 1, active: 0, pod, pool: new UpstreamPool(pod, this.connect, true) };
        this.byPod.set(pod, e);
      }
      return e;
    });
    this.picker.update?.(this.endpoints);
  }
}

/** A proxy's view of one destination: its workers. Downstream connections are bound to one worker each. */
export class ProxyCluster {
  readonly workers: ProxyWorker[];
  constructor(workers: ProxyWorker[]) {
    this.workers = workers;
  }
  get opened(): number {
    return this.workers.reduce((n, w) => n + w.opened, 0);
  }
}
