// A built, runnable model: the simulation, its services' endpoint sets, its caller→callee edges and
// what the mesh costs.
import type { Simulation } from '../engine/index.ts';
import type { Caller } from './client/caller.ts';
import type { ControlPlane } from './identity/control-plane.ts';
import type { IdentityPlane } from './identity/plane.ts';
import type { Measure } from './measure.ts';
import type { Pod } from './pod/pod.ts';
import type { OutlierLog } from './sidecar/outlier.ts';
import type { EndpointSet } from './transport/endpoints.ts';

export interface Edge {
  readonly index: number;
  readonly from: string;
  readonly to: string;
  readonly method: string;
  /** True for a workload's calls (the application's requests the summary is about), false for handlers' downstream calls. */
  readonly entry: boolean;
  /** Proxy CPU seconds each request on this edge costs (every proxy it passes through). */
  readonly proxyCpuPerRequest: number;
}

export interface MeshStats {
  /** Connections opened inside the measured interval (every kind: app, proxy, waypoint). */
  connectionsOpened: number;
  /** Memory held by all proxies (sidecars, ztunnels, waypoints), MB, at the largest pod count. */
  proxyMemoryMb: number;
}

export interface World {
  readonly sim: Simulation;
  readonly measure: Measure;
  /** Endpoint sets of every service that serves calls, by name. */
  readonly services: ReadonlyMap<string, EndpointSet>;
  readonly edges: readonly Edge[];
  readonly callers: readonly Caller[];
  readonly stats: MeshStats;
  /** Time after which no new request starts. */
  readonly end: number;
  /** Retry budgets and throttles, sampled for time series. */
  readonly gauges: readonly Gauge[];
  /** Outlier detection: every sidecar cluster's detector and the ejections it made. */
  readonly outlier: OutlierLog;
  /** Destinations some L7 proxy routes to subsets (filled as proxies are wired). */
  readonly routed: ReadonlySet<string>;
  /** Workload certificates and handshakes; undefined without mTLS. */
  readonly identity: IdentityPlane | undefined;
  readonly controlPlane: ControlPlane;
  /** Present at the flow level: latencies of requests on an unloaded path, drawn once (RPCs are not simulated one by one). */
  readonly flows?: { readonly latencySamples: readonly number[] };
}

/** A retry budget's balance, a throttle's tokens or a cluster's retries in progress, read at any time. */
export interface Gauge {
  /** Destination service. */
  readonly to: string;
  readonly kind: 'linkerd-budget' | 'envoy-active-retries' | 'grpc-tokens';
  read(now: number): number;
}

/** Every pod ever created, by service, in index order. */
export const allPods = (world: World): Pod[] => [...world.services.values()].flatMap((s) => s.all);
