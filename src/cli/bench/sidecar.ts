// The sidecar path in-process: client → client sidecar (LEAST_REQUEST) → HTTP/2 connection → server
// sidecar → pod and back, with the profile's proxy latency; one pod fails 1 % of its requests. Reports simulated RPCs
// per second. With `health`, the same path with Envoy outlier detection on every client sidecar (fed per attempt,
// swept every 10 s), which then has ejections to make.
import { scenario } from '../../scenario/schema.ts';
import { runStudy } from '../../study/study.ts';

export async function sidecarPath(rpcs: number, health = false): Promise<{ rpcsPerSecond: number; seconds: number }> {
  const s = scenario.parse({
    name: 'bench-sidecar',
    seed: 1,
    duration: `${(rpcs / 20_000).toFixed(3)}s`,
    replications: 1,
    mesh: { dataPlane: 'sidecar', proxy: 'envoy' },
    trafficPolicy: {
      server: {
        loadBalancer: { simple: 'LEAST_REQUEST' },
        ...(health ? { outlierDetection: { consecutive5xxErrors: 5, interval: '10s', maxEjectionPercent: 50 } } : {}),
      },
    },
    faults: [{ target: 'server/0', errors: { rate: 0.01, status: 'UNAVAILABLE' as const } }],
    services: {
      client: { replicas: 8, calls: [{ to: 'server', method: 'bench.Server/Work', rate: '20000/s' }] },
      server: { replicas: 10, pod: { workers: 8, queue: 1000, serviceTime: { distribution: 'exponential', mean: '2ms' } } },
    },
  });
  const t0 = process.hrtime.bigint();
  const { summary } = await runStudy([{ name: 'base', scenario: s }]);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { rpcsPerSecond: (summary.variants[0]?.metrics.requests.mean ?? 0) / seconds, seconds };
}
