// What each kind of proxy costs, from the published figures of REFERENCE §8; every figure can be
// overridden in `mesh:` and set to zero.
//  - Envoy sidecar: Istio 1.10–1.15 measured +2.65 ms at p90 for the client and server proxies
//    together, so 1.3 ms each; Istio 1.24: 0.20 vCPU per 1000 rps (0.2 ms CPU per request), 60 MB.
//  - Linkerd proxy: Buoyant's 2021 benchmark: single-proxy median latency under 1 ms (0.5 ms taken);
//    26.3 MB max memory; CPU 36/67 of Envoy's in the same run (≈ 0.11 ms per request).
//  - ztunnel (ambient L4): two ztunnels +0.17 ms p90 (Istio 1.22), so 0.085 ms each; 0.06 vCPU per
//    1000 rps; 12 MB. Waypoint (ambient L7, an Envoy): 0.25 vCPU per 1000 rps; 60 MB; Envoy latency.
import { constant, type Distribution } from '../../engine/index.ts';
import type { MeshSpec } from '../../scenario/schema.ts';
import { toDistribution } from '../distribution.ts';

export interface ProxyCost {
  /** Latency the proxy adds to a request, request and response path together. */
  latency: Distribution;
  /** CPU seconds per request through the proxy. */
  cpu: number;
  memoryMb: number;
}

const published = {
  envoy: { latency: 1.3e-3, cpu: 0.2e-3, memoryMb: 60 },
  linkerd: { latency: 0.5e-3, cpu: 0.11e-3, memoryMb: 26.3 },
  ztunnel: { latency: 0.085e-3, cpu: 0.06e-3, memoryMb: 12 },
  waypoint: { latency: 1.3e-3, cpu: 0.25e-3, memoryMb: 60 },
} as const;

export type ProxyKind = keyof typeof published;

/** The cost of a `kind` proxy under `mesh`, with the scenario's overrides applied. */
export function proxyCost(kind: ProxyKind, mesh: MeshSpec): ProxyCost {
  const p = published[kind];
  const latency =
    mesh.proxyLatency === undefined
      ? constant(p.latency)
      : typeof mesh.proxyLatency === 'number'
        ? constant(mesh.proxyLatency)
        : toDistribution(mesh.proxyLatency);
  return { latency, cpu: mesh.proxyCpuPerRequest ?? p.cpu, memoryMb: mesh.proxyMemoryMb ?? p.memoryMb };
}
