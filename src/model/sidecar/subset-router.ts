// Istio VirtualService http routing at an L7 proxy (sidecar or waypoint): header `match` rules are
// tried in order and the first that matches decides; otherwise the weighted `route` does. Envoy picks
// the weighted cluster once per request, when the route is chosen (`weighted_clusters`: a random value
// modulo the total weight, clusters walked in order), so the router's retries all stay in that
// cluster. Each DestinationRule subset is its own cluster (`outbound|port|v2|svc`) with its own
// balancer, connection pools, circuit breakers and outlier detection (docs/canary.md).
import type { Stream } from '../../engine/index.ts';
import type { HeaderMatchSpec, RouteDestinationSpec, RouteSpec } from '../../scenario/schema.ts';
import type { Probe, SubsetTally } from '../probe.ts';
import type { Done, Req, Rpc } from '../rpc.ts';
import { outcome, Status } from '../status.ts';
import { routeRequest, type Upstream } from './outbound.ts';
import type { ProxyCluster } from './proxy.ts';

/** A proxy's outbound path toward one destination, as its downstream connections see it. */
export interface ProxyOutbound {
  /** Worker threads; a downstream connection is bound to one (index 0..workers-1). */
  readonly workers: number;
  handle(req: Req, worker: number, done: Done): void;
}

/** The whole service as one cluster: no route picks a subset. */
export function wholeService(cluster: ProxyCluster): ProxyOutbound {
  return { workers: cluster.workers.length, handle: (req, w, done) => cluster.handle(req, cluster.workers[w] as ProxyCluster['workers'][number], done) };
}

/** No rule matched and there is no default route: Envoy answers 404 with flag NR, which gRPC reads as UNIMPLEMENTED. */
export const NO_ROUTE = outcome(Status.UNIMPLEMENTED, 'NR');

export interface RouteTable {
  /** The subsets the route names, in order of first mention; `choose` answers with an index into it. */
  readonly subsets: readonly string[];
  /** The index of the subset this request goes to, or -1 when no rule routes it. */
  choose(rpc: Rpc): number;
}

function headerMatches(m: HeaderMatchSpec, value: string | undefined): boolean {
  if (value === undefined) return false;
  return 'exact' in m ? value === m.exact : value.startsWith(m.prefix);
}

/** One weighted destination list: a single destination takes everything, whatever its weight. */
function weighted(list: readonly RouteDestinationSpec[], index: (subset: string) => number, rng: Stream): () => number {
  const only = index((list[0] as RouteDestinationSpec).subset);
  if (list.length === 1) return () => only;
  const total = list.reduce((n, d) => n + (d.weight ?? 0), 0);
  const entries = list.map((d) => ({ weight: d.weight ?? 0, at: index(d.subset) }));
  return () => {
    let r = Math.floor(rng.next() * total);
    for (const e of entries) {
      r -= e.weight;
      if (r < 0) return e.at;
    }
    return only;
  };
}

/** The route's rules compiled, or undefined when it routes by neither match nor split. */
export function routeTable(spec: Pick<RouteSpec, 'route' | 'match'> | undefined, rng: Stream): RouteTable | undefined {
  if (!spec?.route && !spec?.match) return undefined;
  const subsets = routedSubsets(spec);
  const index = (subset: string) => subsets.indexOf(subset);
  const rules = (spec.match ?? []).map((m) => ({ headers: Object.entries(m.headers), pick: weighted(m.route, index, rng) }));
  const fallback = spec.route && weighted(spec.route, index, rng);
  return {
    subsets,
    choose(rpc) {
      const h = rpc.headers;
      if (h) for (const rule of rules) if (rule.headers.every(([name, m]) => headerMatches(m, h[name]))) return rule.pick();
      return fallback ? fallback() : -1;
    },
  };
}

/** The subsets named anywhere in a route, in order of first mention. */
export function routedSubsets(spec: Pick<RouteSpec, 'route' | 'match'>): string[] {
  const all = [...(spec.match ?? []).flatMap((m) => m.route), ...(spec.route ?? [])].map((d) => d.subset);
  return [...new Set(all)];
}

type Worker = ProxyCluster['workers'][number];

/** Counts an answer into a subset's tally on its way back to the caller. */
function tallied(tally: SubsetTally, done: Done): Done {
  return (o) => {
    if (o.status === Status.OK) tally.ok++;
    done(o);
  };
}

/** Envoy: each request goes to the cluster of the subset its route picks, and its retries stay there. */
export class SubsetRouter implements ProxyOutbound {
  readonly workers: number;
  private readonly table: RouteTable;
  /** Per subset of the table, in its order: the cluster and the counters. */
  private readonly clusters: readonly ProxyCluster[];
  private readonly tallies: readonly (SubsetTally | undefined)[];

  constructor(dest: string, table: RouteTable, clusters: readonly ProxyCluster[], probe: Probe) {
    this.table = table;
    this.clusters = clusters;
    this.tallies = table.subsets.map((s) => probe.subsetTally?.(dest, s));
    this.workers = (clusters[0] as ProxyCluster).workers.length;
  }

  /** A request on a downstream connection bound to worker `worker` (each subset cluster has the same workers). */
  handle(req: Req, worker: number, done: Done): void {
    const i = this.table.choose(req.rpc);
    if (i < 0) return done(NO_ROUTE);
    const cluster = this.clusters[i] as ProxyCluster;
    const tally = this.tallies[i];
    if (!tally || !req.rpc.counted) return cluster.handle(req, cluster.workers[worker] as Worker, done);
    tally.requests++;
    cluster.handle(req, cluster.workers[worker] as Worker, tallied(tally, done));
  }
}

/**
 * Linkerd: the route's retries sit above its backends, so every try picks a backend afresh ("each retry
 * of a request can potentially get sent to a different backend", linkerd.io reference/retries); each
 * backend balances over its own endpoints. The clusters share one route-level retry policy and budget.
 */
export class PerAttemptRouter implements ProxyOutbound {
  readonly workers: number;
  private readonly upstreams: Upstream[];
  private readonly outbound: ProxyCluster['outbound'];

  constructor(dest: string, table: RouteTable, clusters: readonly ProxyCluster[], probe: Probe) {
    const first = clusters[0] as ProxyCluster;
    this.outbound = first.outbound;
    this.workers = first.workers.length;
    const tallies = table.subsets.map((s) => probe.subsetTally?.(dest, s));
    this.upstreams = Array.from({ length: this.workers }, (_, w) => ({
      send(req: Req, avoid: Parameters<Upstream['send']>[1], done: Done) {
        const i = table.choose(req.rpc);
        if (i < 0) {
          done(NO_ROUTE);
          return undefined;
        }
        const backend = (clusters[i] as ProxyCluster).workers[w] as Worker;
        const tally = tallies[i];
        if (!tally || !req.rpc.counted) return backend.send(req, avoid, done);
        tally.requests++;
        return backend.send(req, avoid, tallied(tally, done));
      },
    }));
  }

  handle(req: Req, worker: number, done: Done): void {
    routeRequest(this.outbound, this.upstreams[worker] as Upstream, req, done);
  }
}
