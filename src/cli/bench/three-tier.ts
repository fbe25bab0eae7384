// A three-tier call graph with sidecars at every hop and Istio's default retries configured (1 % of
// leaf answers fail, so retries fire but rarely): client requests per second end to end, in process.
import { scenario } from '../../scenario/schema.ts';
import { runStudy } from '../../study/study.ts';

export async function threeTier(requests: number): Promise<{ requestsPerSecond: number; seconds: number }> {
  const pod = (handler: unknown[]) => ({ workers: 32, queue: 1000, serviceTime: { distribution: 'exponential', mean: '1ms' }, handler });
  const s = scenario.parse({
    name: 'bench-three-tier',
    seed: 1,
    duration: `${(requests / 5000).toFixed(3)}s`,
    replications: 1,
    mesh: { dataPlane: 'sidecar' },
    services: {
      web: { replicas: 4, calls: [{ to: 'a', method: 'bench.A/Call', rate: '5000/s', deadline: '1s' }] },
      a: { replicas: 4, pod: pod([{ call: { to: 'b', method: 'bench.B/Call' } }]) },
      b: { replicas: 4, pod: pod([{ call: { to: 'c', method: 'bench.C/Call' } }]) },
      c: { replicas: 4, pod: pod([]) },
    },
    faults: [{ target: 'c', errors: { rate: 0.01, status: 'UNAVAILABLE' } }],
  });
  const t0 = process.hrtime.bigint();
  const { summary } = await runStudy([{ name: 'base', scenario: s }]);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { requestsPerSecond: (summary.variants[0]?.metrics.requests.mean ?? 0) / seconds, seconds };
}
