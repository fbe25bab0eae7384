// The pods of a destination service as the cluster knows them. Scaling adds pods (new indices) or
// removes the highest ones; everyone who balances over the service (kube-proxy, proxies, gRPC
// clients) subscribes and sees a change at once (endpoint propagation delay comes later).
import type { Pod } from '../pod/pod.ts';

export class EndpointSet {
  readonly service: string;
  /** Every pod ever created, in index order (removed ones included), for results. */
  readonly all: Pod[] = [];
  /** Pods that currently take new connections and requests. A new array on every change. */
  current: readonly Pod[] = [];
  private readonly listeners: ((pods: readonly Pod[]) => void)[] = [];
  private readonly create: (index: number) => Pod;

  constructor(service: string, replicas: number, create: (index: number) => Pod) {
    this.service = service;
    this.create = create;
    this.scale(replicas);
  }

  onChange(listener: (pods: readonly Pod[]) => void): void {
    this.listeners.push(listener);
  }

  /** Sets the number of live pods: adds new ones, or removes (drains) the highest-numbered. */
  scale(replicas: number): void {
    const live = [...this.current];
    while (live.length < replicas) {
      const pod = this.create(this.all.length);
      this.all.push(pod);
      live.push(pod);
    }
    while (live.length > replicas) (live.pop() as Pod).remove();
    this.current = live;
    for (const l of this.listeners) l(live);
  }
}
