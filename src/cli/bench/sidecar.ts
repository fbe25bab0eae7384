// The sidecar path in-process: client → client sidecar (LEAST_REQUEST) → HTTP/2 connection → server
// sidecar → pod and back, with the profile's proxy latency; one pod fails 1 % of its requests. Reports simulated RPCs
// per second. With `health`, the same path with Envoy outlier detection on every client sidecar (fed per attempt,
// swept every 10 s), which then has ejections to make. With `canary`, the server is two subsets (9 + 1 pods) and
// the route splits 95/5 with a header match before it (1 % of requests carry the header): a cluster per subset; and
// every server pod has readiness and liveness probes (every 1 s) behind a 2 s endpoint propagation delay.
import { scenario } from '../../scenario/schema.ts';
import { runStudy } from '../../study/study.ts';

export async function sidecarPath(rpcs: number, health = false, canary = false): Promise<{ rpcsPerSecond: number; seconds: number }> {
  const probes = canary ? { readinessProbe: { periodSeconds: 1 }, livenessProbe: { periodSeconds: 1 } } : {};
  const server = { pod: { workers: 8, queue: 1000, serviceTime: { distribution: 'exponential' as const, mean: '2ms' }, ...probes } };
  const s = scenario.parse({
    name: 'bench-sidecar',
    seed: 1,
    duration: `${(rpcs / 20_000).toFixed(3)}s`,
    replications: 1,
    mesh: { dataPlane: 'sidecar', proxy: 'envoy', ...(canary ? { endpointDelay: '2s' } : {}) },
    trafficPolicy: {
      server: {
        loadBalancer: { simple: 'LEAST_REQUEST' },
        ...(health ? { outlierDetection: { consecutive5xxErrors: 5, interval: '10s', maxEjectionPercent: 50 } } : {}),
      },
    },
    faults: [{ target: 'server/0', errors: { rate: 0.01, status: 'UNAVAILABLE' as const } }],
    services: {
      client: {
        replicas: 8,
        calls: [
          { to: 'server', method: 'bench.Server/Work', rate: '20000/s', ...(canary ? { headers: { 'x-canary': { value: 'true', fraction: 0.01 } } } : {}) },
        ],
      },
      server: canary ? { ...server, subsets: { v1: { replicas: 9 }, v2: { replicas: 1 } } } : { ...server, replicas: 10 },
    },
    routes: canary
      ? {
          server: {
            match: [{ headers: { 'x-canary': { exact: 'true' } }, route: [{ subset: 'v2' }] }],
            route: [
              { subset: 'v1', weight: 95 },
              { subset: 'v2', weight: 5 },
            ],
          },
        }
      : {},
  });
  const t0 = process.hrtime.bigint();
  const { summary } = await runStudy([{ name: 'base', scenario: s }]);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { rpcsPerSecond: (summary.variants[0]?.metrics.requests.mean ?? 0) / seconds, seconds };
}
