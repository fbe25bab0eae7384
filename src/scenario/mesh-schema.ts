// Scenario vocabulary for the mesh: data plane and proxy profile, the network, per-destination traffic
// policy (Istio DestinationRule names), server connection management (gRFC A9) and scaling events.
// Profile defaults (latency, CPU, memory per proxy) are resolved in the model from REFERENCE §8.
import { z } from 'zod';
import { outlierDetection } from './outlier-schema.ts';
import { distribution, duration } from './schema-units.ts';

export const mesh = z.strictObject({
  dataPlane: z
    .enum(['none', 'sidecar', 'ambient'])
    .default('none')
    .describe(
      'none: clients reach pods through kube-proxy (L4, per connection); sidecar: a proxy beside every pod balances each request (L7); ambient: per-node ztunnel (L4, random per connection), with an optional waypoint for L7.',
    ),
  proxy: z.enum(['envoy', 'linkerd']).default('envoy').describe('Proxy profile: sets default latency, CPU and memory per proxy, and the default balancer.'),
  proxyWorkers: z.int().min(1).max(64).default(2).describe('Envoy worker threads per proxy; each keeps its own balancer state and connections.'),
  proxyLatency: z
    .union([duration, distribution])
    .optional()
    .describe('Latency one proxy adds to a request (request and response path together); default from the profile.'),
  proxyCpuPerRequest: duration.optional().describe('CPU time one proxy spends per request; default from the profile.'),
  proxyMemoryMb: z.number().min(0).optional().describe('Memory each proxy holds, MB; default from the profile.'),
  waypoint: z.boolean().default(false).describe('Ambient only: route through a waypoint proxy that balances each request (L7).'),
  waypointReplicas: z.int().min(1).max(1000).default(1).describe('Ambient only: waypoint pods.'),
  nodes: z.int().min(1).max(10_000).default(3).describe('Nodes the pods are spread over (round robin): one ztunnel per node, IPVS round robin per node.'),
  endpointDelay: duration
    .prefault('0s')
    .describe(
      'Time from a pod becoming ready or unready (or being removed) to every sidecar, gRPC client and kube-proxy seeing the new endpoint set. Default 0s: an idealised instant view; real clusters take about 1–5 s (docs/health.md).',
    ),
  kubeProxy: z.enum(['iptables', 'ipvs']).default('iptables').describe('iptables: a uniformly random pod per connection; ipvs: round robin per node.'),
});
export type MeshSpec = z.output<typeof mesh>;

export const network = z.strictObject({
  latency: duration.prefault('100us').describe('One-way latency of each network hop between pods.'),
  connectRtts: z.number().min(0).max(10).default(2).describe('Round trips to open a connection (TCP, then TLS 1.3).'),
});
export type NetworkSpec = z.output<typeof network>;

export const server = z.strictObject({
  maxConnectionAge: duration.optional().describe('gRPC server MAX_CONNECTION_AGE: GOAWAY after this age (±10% jitter); default never.'),
  maxConnectionAgeGrace: duration.optional().describe('Time in-flight RPCs get after the GOAWAY before the connection is closed; default unlimited.'),
  maxConnectionIdle: duration.optional().describe('gRPC server MAX_CONNECTION_IDLE: close a connection idle this long; default never.'),
  maxConcurrentStreams: z.int().min(1).optional().describe('SETTINGS_MAX_CONCURRENT_STREAMS; further RPCs wait on the client; default unlimited.'),
});
export type ServerSpec = z.output<typeof server>;

export const loadBalancer = z
  .strictObject({
    simple: z.enum(['ROUND_ROBIN', 'RANDOM', 'LEAST_REQUEST']).optional().describe('Istio default LEAST_REQUEST (Envoy); Linkerd always uses its P2C.'),
    choiceCount: z.int().min(2).max(100).default(2).describe('LEAST_REQUEST: hosts drawn per pick (with replacement).'),
    activeRequestBias: z.number().min(0).default(1).describe('LEAST_REQUEST with unequal weights: w / (active + 1)^bias.'),
    consistentHash: z
      .strictObject({
        httpHeaderName: z.string().describe('Request header whose value is hashed.'),
        minimumRingSize: z.int().min(1).default(1024),
      })
      .optional()
      .describe('Ring hash on a request header (sticky per header value).'),
  })
  .refine((lb) => !(lb.simple && lb.consistentHash), { message: 'give either `simple` or `consistentHash`, not both' });
export type LoadBalancerSpec = z.output<typeof loadBalancer>;

const MAX_UINT32 = 2 ** 32 - 1;

export const trafficPolicy = z.strictObject({
  loadBalancer: loadBalancer.optional(),
  connectionPool: z
    .strictObject({
      tcp: z
        .strictObject({
          maxConnections: z.int().min(1).default(MAX_UINT32).describe('Per client sidecar; Istio default 2^32−1.'),
          maxConnectionDuration: duration
            .refine((d) => d > 0, 'maxConnectionDuration must be longer than 0s')
            .optional()
            .describe('Drain an upstream connection this long after it opened (Envoy max_connection_duration, no jitter); default never.'),
        })
        .prefault({}),
      http: z
        .strictObject({
          maxRequestsPerConnection: z.int().min(0).default(0).describe('Close an upstream connection after this many requests (0: unlimited).'),
          idleTimeout: duration.optional().describe('Close an upstream connection idle this long (Istio default 1h).'),
          http1MaxPendingRequests: z
            .int()
            .min(1)
            .default(MAX_UINT32)
            .describe('Requests waiting for a connection, per client sidecar; overflow is a local 503 (UO).'),
          http2MaxRequests: z.int().min(1).default(MAX_UINT32).describe('Active requests per client sidecar to the destination; overflow is a local 503 (UO).'),
          maxRetries: z.int().min(0).default(MAX_UINT32).describe('Concurrent retries per client sidecar (Envoy max_retries).'),
          retryBudget: z
            .strictObject({ percent: z.number().min(0).max(100).default(20), minRetryConcurrency: z.int().min(0).default(3) })
            .optional()
            .describe("Envoy's retry budget: concurrent retries up to percent of active + pending requests; overrides maxRetries."),
        })
        .prefault({}),
    })
    .prefault({}),
  failureAccrual: z
    .strictObject({
      consecutiveFailures: z.int().min(1).default(7),
      minPenalty: duration.prefault('1s'),
      maxPenalty: duration.prefault('60s'),
      jitterRatio: z.number().min(0).max(1).default(0.5),
    })
    .optional()
    .describe('Linkerd failure accrual (balancer.linkerd.io/failure-accrual: consecutive).'),
  outlierDetection: outlierDetection.optional(),
});
export type TrafficPolicySpec = z.output<typeof trafficPolicy>;

export const scaleEvent = z.strictObject({
  at: duration.describe('When the event happens.'),
  scale: z.record(z.string(), z.int().min(0).max(100_000)).describe('New replica counts by service.'),
});
export type ScaleEventSpec = z.output<typeof scaleEvent>;
