// Shared state while a World is wired: streams, endpoint sets, the mesh's proxies (one sidecar
// outbound per client pod and destination — one cluster, or one per subset a route names —,
// waypoints per destination), and delay functions.
import type { Distribution, RandomStreams, Simulation, Stream } from '../../engine/index.ts';
import type { LoadBalancerSpec, Scenario } from '../../scenario/schema.ts';
import { leastRequest } from '../balancer/least-request.ts';
import { peakEwma } from '../balancer/peak-ewma.ts';
import { random } from '../balancer/random.ts';
import { ringHash } from '../balancer/ring-hash.ts';
import { roundRobin } from '../balancer/round-robin.ts';
import type { Endpoint, Picker } from '../balancer/types.ts';
import type { MeshControl } from '../identity/control-plane.ts';
import { mtls } from '../identity/mtls.ts';
import type { Measure } from '../measure.ts';
import type { Probe } from '../probe.ts';
import { failureAccrual } from '../resilience/failure-accrual.ts';
import { ClusterCounters, type OutboundContext } from '../sidecar/outbound.ts';
import { ClusterHealth, type OutlierLog, type ResolvedOutlier, resolveOutlier } from '../sidecar/outlier.ts';
import { type ProxyCost, type ProxyKind, proxyCost } from '../sidecar/profile.ts';
import { ProxyCluster, ProxyWorker } from '../sidecar/proxy.ts';
import { retryConfig } from '../sidecar/retry-config.ts';
import { PerAttemptRouter, type ProxyOutbound, type RouteTable, routeTable, SubsetRouter, wholeService } from '../sidecar/subset-router.ts';
import type { Connection, Target } from '../transport/connection.ts';
import type { EndpointSet, Endpoints } from '../transport/endpoints.ts';
import { type L4Choice, roundRobinPerNode } from '../transport/l4.ts';
import type { Connect } from '../transport/pools.ts';
import type { Gauge, MeshStats } from '../world.ts';
import { type ClientPod, connector } from './routes.ts';

const INF = Number.POSITIVE_INFINITY;
/** Istio's default idle timeout of upstream HTTP/2 connections. */
const ISTIO_IDLE_TIMEOUT = 3600;

/** The balancer of a proxy for one destination; Linkerd's ignores `spec` (P2C over peak EWMA, defaults of §4.3). */
export function pickerFor<E extends Endpoint>(spec: LoadBalancerSpec | undefined, proxy: 'envoy' | 'linkerd', now: () => number): Picker<E> {
  if (proxy === 'linkerd') return peakEwma<E>({ now });
  if (spec?.consistentHash) return ringHash({ minRingSize: spec.consistentHash.minimumRingSize }) as Picker<E>;
  switch (spec?.simple ?? 'LEAST_REQUEST') {
    case 'ROUND_ROBIN':
      return roundRobin() as Picker<E>;
    case 'RANDOM':
      return random({ weighted: false }) as Picker<E>;
    default:
      return leastRequest({ choiceCount: spec?.choiceCount ?? 2, activeRequestBias: spec?.activeRequestBias ?? 1 }) as Picker<E>;
  }
}

export class WiringContext {
  readonly sim: Simulation;
  readonly scenario: Scenario;
  readonly streams: RandomStreams;
  readonly measure: Measure;
  readonly stats: MeshStats;
  readonly services: Map<string, EndpointSet>;
  readonly connectDelay: number;
  readonly probe: Probe;
  readonly gauges: Gauge[] = [];
  /** Every sidecar cluster's outlier detector and ejections. */
  readonly outlier: OutlierLog = { ejections: [], clusters: [], panics: [] };
  private readonly outlierByDest = new Map<string, ResolvedOutlier | undefined>();
  /** Destinations an L7 proxy routes to subsets. */
  readonly routed = new Set<string>();
  readonly control: MeshControl; // control plane, workload identities, mTLS
  private readonly costs: Record<ProxyKind, ProxyCost>;
  private readonly sidecars = new Map<string, ProxyOutbound>();
  private readonly waypointsByDest = new Map<string, Target[]>();
  private readonly ipvsByDest = new Map<string, L4Choice>();

  constructor(
    sim: Simulation,
    scenario: Scenario,
    streams: RandomStreams,
    measure: Measure,
    stats: MeshStats,
    services: Map<string, EndpointSet>,
    probe: Probe,
    control: MeshControl,
  ) {
    this.control = control;
    this.sim = sim;
    this.probe = probe;
    this.scenario = scenario;
    this.streams = streams;
    this.measure = measure;
    this.stats = stats;
    this.services = services;
    this.connectDelay = scenario.network.connectRtts * 2 * scenario.network.latency;
    const mesh = scenario.mesh;
    this.costs = {
      envoy: proxyCost('envoy', mesh),
      linkerd: proxyCost('linkerd', mesh),
      ztunnel: proxyCost('ztunnel', mesh),
      waypoint: proxyCost('waypoint', mesh),
    };
  }

  /** One-way delay: half of proxy `a`'s latency, a network hop, half of proxy `b`'s. */
  halfDelay(a: ProxyKind, b: ProxyKind, rng: Stream): () => number {
    const la: Distribution = this.costs[a].latency;
    const lb: Distribution = this.costs[b].latency;
    const hop = this.scenario.network.latency;
    return () => 0.5 * la.sample(rng) + hop + 0.5 * lb.sample(rng);
  }

  /** The endpoints of `dest` as a proxy sees them: via the control plane (stale while it is down) in a mesh. */
  view(dest: string): Endpoints & { subset(name: string): Endpoints } {
    const set = this.services.get(dest) as EndpointSet;
    return this.scenario.mesh.dataPlane === 'none' ? set : this.control.controlPlane.view(set);
  }

  ipvs(dest: string): L4Choice {
    let choice = this.ipvsByDest.get(dest);
    if (!choice) this.ipvsByDest.set(dest, (choice = roundRobinPerNode(this.services.get(dest) as EndpointSet, this.streams.stream(`ipvs/${dest}`))));
    return choice;
  }

  /** The client pod's sidecar outbound for `dest` (created on first use). */
  sidecar(client: ClientPod, dest: string): ProxyOutbound {
    const key = `${client.service}/${client.index}>${dest}`;
    let out = this.sidecars.get(key);
    if (!out) {
      const kind = this.scenario.mesh.proxy;
      const workers = kind === 'linkerd' ? 1 : this.scenario.mesh.proxyWorkers;
      out = this.outbound(`sidecar/${key}`, client.service, `${client.service}/${client.index}`, dest, workers, kind, kind);
      this.sidecars.set(key, out);
    }
    return out;
  }

  /** The waypoint pods in front of `dest`, each an L7 proxy that binds downstream connections to a worker. */
  waypoints(dest: string): Target[] {
    let list = this.waypointsByDest.get(dest);
    if (list) return list;
    list = Array.from({ length: this.scenario.mesh.waypointReplicas }, (_, w) => {
      const name = `waypoint/${dest}/${w}`;
      this.control.identity?.add(name, w % this.scenario.mesh.nodes, 'initial');
      const out = this.outbound(`waypoint/${w}>${dest}`, 'waypoint', name, dest, this.scenario.mesh.proxyWorkers, 'waypoint', 'ztunnel');
      const rng = this.streams.stream(`waypoint/${w}>${dest}/worker`);
      const bound = new Map<Connection, number>();
      return {
        accepting: true,
        name,
        handle: (req, done, conn) => out.handle(req, bound.get(conn) as number, done),
        connectionOpened: (conn) => bound.set(conn, Math.floor(rng.next() * out.workers)),
        connectionClosed: (conn) => bound.delete(conn),
      } satisfies Target;
    });
    this.waypointsByDest.set(dest, list);
    return list;
  }

  /** The destination's outlier detection as Envoy config, resolved once (Linkerd has none: it uses failure accrual). */
  private outlierFor(dest: string): ResolvedOutlier | undefined {
    if (!this.outlierByDest.has(dest)) {
      const spec = this.scenario.trafficPolicy[dest]?.outlierDetection;
      this.outlierByDest.set(dest, spec && resolveOutlier(spec));
    }
    return this.outlierByDest.get(dest);
  }

  /**
   * A proxy's outbound toward `dest`: the whole service as one cluster, or, when the route splits or
   * matches, a cluster per subset it names (streams `<name>@<subset>/…`; Linkerd's share the route's
   * retry policy and budget, see sidecar/subset-router.ts).
   */
  private outbound(name: string, client: string, workload: string, dest: string, workers: number, from: ProxyKind, to: ProxyKind): ProxyOutbound {
    const endpoints = this.view(dest);
    const spec = this.scenario.routes[dest];
    if (!spec?.route && !spec?.match) return wholeService(this.cluster(name, client, workload, dest, endpoints, workers, from, to));
    const table = routeTable(spec, this.streams.stream(`${name}/route`)) as RouteTable;
    this.routed.add(dest);
    const clusters: ProxyCluster[] = [];
    let shared: OutboundContext | undefined;
    for (const subset of table.subsets) {
      const cluster = this.cluster(`${name}@${subset}`, client, workload, dest, endpoints.subset(subset), workers, from, to, shared);
      if (from === 'linkerd') shared = cluster.outbound;
      clusters.push(cluster);
    }
    return from === 'linkerd' ? new PerAttemptRouter(dest, table, clusters, this.probe) : new SubsetRouter(dest, table, clusters, this.probe);
  }

  private cluster(
    name: string,
    client: string,
    workload: string,
    dest: string,
    endpoints: Endpoints,
    workers: number,
    from: ProxyKind,
    to: ProxyKind,
    shared?: OutboundContext,
  ): ProxyCluster {
    const tp = this.scenario.trafficPolicy[dest];
    const http = tp?.connectionPool.http;
    const up = this.halfDelay(from, to, this.streams.stream(`${name}/delay`));
    // Linkerd's backends share the route's counters; every Envoy cluster has its own circuit breakers.
    const counters = shared?.counters ?? new ClusterCounters();
    const onPending = (delta: number) => {
      counters.pending += delta;
    };
    const { extraDelay, handshake } = mtls(this.control.identity, workload, this.control.inherits);
    const opened = connector(this, () => ({
      connectDelay: this.connectDelay + extraDelay,
      handshake,
      maxStreams: INF,
      maxRequests: http?.maxRequestsPerConnection ?? 0,
      maxAge: tp?.connectionPool.tcp.maxConnectionDuration ?? INF,
      grace: INF,
      idle: http?.idleTimeout ?? ISTIO_IDLE_TIMEOUT,
      up,
      down: up,
      onPending,
    }));
    // Connections of this cluster, against connectionPool.tcp.maxConnections (per sidecar, all workers).
    const cx = { open: 0, max: tp?.connectionPool.tcp.maxConnections ?? Number.POSITIVE_INFINITY };
    const connect: Connect = (target, events) => {
      cx.open++;
      return opened(target, {
        draining: events.draining,
        closed: (c) => {
          cx.open--;
          events.closed(c);
        },
      });
    };
    const atLimit = () => cx.open >= cx.max;
    const proxy = from === 'linkerd' ? 'linkerd' : 'envoy';
    const od = proxy === 'envoy' ? this.outlierFor(dest) : undefined;
    const health =
      od &&
      new ClusterHealth(
        this.sim,
        od,
        endpoints,
        this.streams.stream(`${name}/outlier`),
        this.outlier,
        {
          from: client,
          to: dest,
          cluster: name.replace(/^sidecar\//, ''),
        },
        this.measure.from,
      );
    // Linkerd's backends share the route's state; every Envoy cluster has its own, outlier detection included.
    const outbound = shared ?? this.outboundContext(name, dest, proxy, counters, health);
    const fa = proxy === 'linkerd' ? tp?.failureAccrual : undefined;
    const accrualRng = fa && this.streams.stream(`${name}/accrual`);
    const accrual = fa && {
      create: () =>
        failureAccrual(
          { maxFailures: fa.consecutiveFailures, minPenalty: fa.minPenalty, maxPenalty: fa.maxPenalty, jitterRatio: fa.jitterRatio },
          accrualRng as Stream,
        ),
      now: () => this.sim.now,
    };
    return new ProxyCluster(
      Array.from(
        { length: workers },
        (_, w) =>
          new ProxyWorker(
            endpoints,
            pickerFor(tp?.loadBalancer, proxy, () => this.sim.now),
            this.streams.stream(`${name}/worker${w}/lb`),
            connect,
            accrual,
            atLimit,
            health,
          ),
      ),
      outbound,
    );
  }

  /** The route-level state of a cluster: retry policy and budget, breaker limits, and the retry gauges. */
  private outboundContext(
    name: string,
    dest: string,
    proxy: 'envoy' | 'linkerd',
    counters: ClusterCounters,
    health: ClusterHealth | undefined,
  ): OutboundContext {
    const tp = this.scenario.trafficPolicy[dest];
    const http = tp?.connectionPool.http;
    const { policy, gate } = retryConfig(this.scenario.routes[dest], tp, proxy);
    if (proxy === 'linkerd') {
      if (policy.maxRetries > 0) this.gauges.push({ to: dest, kind: 'linkerd-budget', read: (now) => gate.balance(now) });
    } else if (policy.maxRetries > 0) this.gauges.push({ to: dest, kind: 'envoy-active-retries', read: () => counters.activeRetries });
    return {
      sim: this.sim,
      probe: this.probe,
      policy,
      gate,
      limits: { maxRequests: http?.http2MaxRequests ?? Number.POSITIVE_INFINITY, maxPending: http?.http1MaxPendingRequests ?? Number.POSITIVE_INFINITY },
      counters,
      rng: this.streams.stream(`${name}/retry`),
      health,
    };
  }
}
