// Istio VirtualService http routing at an L7 proxy (sidecar or waypoint): header `match` rules are
// tried in order and the first that matches decides; otherwise the weighted `route` does. Envoy picks
// the weighted cluster once per request, when the route is chosen (`weighted_clusters`: a random value
// modulo the total weight, clusters walked in order), so the router's retries all stay in that
// cluster. Each DestinationRule subset is its own cluster (`outbound|port|v2|svc`) with its own
// balancer, connection pools, circuit breakers and outlier detection (docs/canary.md).
import type { Stream } from '../../engine/index.ts';
import type { HeaderMatchSpec, RouteDestinationSpec, RouteSpec } from '../../scenario/schema.ts';
import type { Probe } from '../probe.ts';
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
  /** The subset this request goes to, or undefined when no rule routes it. */
  choose(rpc: Rpc): string | undefined;
}

function headerMatches(m: HeaderMatchSpec, value: string | undefined): boolean {
  if (value === undefined) return false;
  return 'exact' in m ? value === m.exact : value.startsWith(m.prefix);
}

/** One weighted destination list: a single destination takes everything, whatever its weight. */
function weighted(list: readonly RouteDestinationSpec[], rng: Stream): () => string {
  const only = list[0] as RouteDestinationSpec;
  if (list.length === 1) return () => only.subset;
  const total = list.reduce((n, d) => n + (d.weight ?? 0), 0);
  return () => {
    let r = Math.floor(rng.next() * total);
    for (const d of list) {
      r -= d.weight ?? 0;
      if (r < 0) return d.subset;
    }
    return only.subset;
  };
}

/** The route's rules compiled, or undefined when it routes by neither match nor split. */
export function routeTable(spec: Pick<RouteSpec, 'route' | 'match'> | undefined, rng: Stream): RouteTable | undefined {
  if (!spec?.route && !spec?.match) return undefined;
  const rules = (spec.match ?? []).map((m) => ({ headers: Object.entries(m.headers), pick: weighted(m.route, rng) }));
  const fallback = spec.route && weighted(spec.route, rng);
  return {
    choose(rpc) {
      const h = rpc.headers;
      if (h) for (const rule of rules) if (rule.headers.every(([name, m]) => headerMatches(m, h[name]))) return rule.pick();
      return fallback?.();
    },
  };
}

/** The subsets named anywhere in a route, in order of first mention. */
export function routedSubsets(spec: Pick<RouteSpec, 'route' | 'match'>): string[] {
  const all = [...(spec.match ?? []).flatMap((m) => m.route), ...(spec.route ?? [])].map((d) => d.subset);
  return [...new Set(all)];
}

/** Envoy: each request goes to the cluster of the subset its route picks, and its retries stay there. */
export class SubsetRouter implements ProxyOutbound {
  readonly workers: number;
  private readonly table: RouteTable;
  private readonly clusters: ReadonlyMap<string, ProxyCluster>;
  private readonly dest: string;
  private readonly probe: Probe;

  constructor(dest: string, table: RouteTable, clusters: ReadonlyMap<string, ProxyCluster>, probe: Probe) {
    this.dest = dest;
    this.table = table;
    this.clusters = clusters;
    this.probe = probe;
    this.workers = (clusters.values().next().value as ProxyCluster).workers.length;
  }

  /** A request on a downstream connection bound to worker `worker` (each subset cluster has the same workers). */
  handle(req: Req, worker: number, done: Done): void {
    const subset = this.table.choose(req.rpc);
    const cluster = subset === undefined ? undefined : this.clusters.get(subset);
    if (subset === undefined || !cluster) return done(NO_ROUTE);
    const { rpc } = req;
    this.probe.routed?.(rpc, this.dest, subset);
    cluster.handle(req, cluster.workers[worker] as ProxyCluster['workers'][number], (o) => {
      this.probe.routedDone?.(rpc, this.dest, subset, o);
      done(o);
    });
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

  constructor(dest: string, table: RouteTable, clusters: ReadonlyMap<string, ProxyCluster>, probe: Probe) {
    const first = clusters.values().next().value as ProxyCluster;
    this.outbound = first.outbound;
    this.workers = first.workers.length;
    this.upstreams = Array.from({ length: this.workers }, (_, w) => ({
      send(req: Req, avoid: Parameters<Upstream['send']>[1], done: Done) {
        const subset = table.choose(req.rpc);
        const cluster = subset === undefined ? undefined : clusters.get(subset);
        if (subset === undefined || !cluster) {
          done(NO_ROUTE);
          return undefined;
        }
        const { rpc } = req;
        probe.routed?.(rpc, dest, subset);
        return (cluster.workers[w] as ProxyCluster['workers'][number]).send(req, avoid, (o) => {
          probe.routedDone?.(rpc, dest, subset, o);
          done(o);
        });
      },
    }));
  }

  handle(req: Req, worker: number, done: Done): void {
    routeRequest(this.outbound, this.upstreams[worker] as Upstream, req, done);
  }
}
