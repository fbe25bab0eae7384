// Issue 7's benchmark: 72 h of 200 workloads (100 frontend pods calling 100 payments pods through sidecars) at
// 50 RPCs/s per client pod, upstream connections cycled every 30 minutes, a 30 h CA outage, at the flow level.
// Timed in-process; reports wall time and engine events per simulated hour.
import { scenario } from '../../scenario/schema.ts';
import { runStudy } from '../../study/study.ts';

export async function certificatesFlow(hours = 72): Promise<{ seconds: number; eventsPerHour: number; rpcs: number }> {
  const s = scenario.parse({
    name: 'bench-certificates',
    seed: 1,
    duration: `${hours}h`,
    replications: 1,
    traffic: { mode: 'flows' },
    mesh: { dataPlane: 'sidecar', proxy: 'envoy' },
    trafficPolicy: { payments: { connectionPool: { tcp: { maxConnectionDuration: '30m' } } } },
    faults: [{ at: `${(hours * 40) / 72}h`, for: `${(hours * 30) / 72}h`, target: 'ca', outage: true }],
    services: {
      frontend: { replicas: 100, calls: [{ to: 'payments', rate: '5000/s' }] },
      payments: { replicas: 100, pod: { workers: 8, serviceTime: { distribution: 'exponential', mean: '2ms' } } },
    },
  });
  const t0 = process.hrtime.bigint();
  const { summary } = await runStudy([{ name: 'base', scenario: s }]);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const m = summary.variants[0]?.metrics;
  return { seconds, eventsPerHour: (m?.events.mean ?? 0) / hours, rpcs: m?.requests.mean ?? 0 };
}
