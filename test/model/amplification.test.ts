// Retry amplification against its closed form. With a failure probability p per attempt, independent
// across attempts, and at most n attempts, a request makes 1 + p + … + p^(n−1) = (1 − pⁿ)/(1 − p)
// attempts on average and succeeds with probability 1 − pⁿ. Stacked tiers multiply: at total failure,
// three tiers of three attempts send 3³ = 27 attempts to the bottom per request.
import { describe, expect, it } from 'vitest';
import { scenario } from '../../src/scenario/schema.ts';
import { runStudy } from '../../src/study/study.ts';
import { expectInCi } from '../theory/helpers.ts';

const twoTier = (p: number, retries: number) =>
  scenario.parse({
    name: 'amplification',
    seed: 9,
    duration: '30s',
    warmup: '1s',
    replications: 6,
    network: { latency: '0s' },
    mesh: { dataPlane: 'sidecar', proxyLatency: '0s' },
    services: {
      client: { replicas: 2, calls: [{ to: 'server', rate: '400/s' }] },
      server: { replicas: 4, pod: { workers: 8, queue: 1000, serviceTime: { distribution: 'exponential', mean: '1ms' } } },
    },
    routes: { server: { retries: { attempts: retries, retryOn: 'unavailable' } } },
    faults: [{ target: 'server', errors: { rate: p, status: 'UNAVAILABLE' } }],
  });

describe('retry amplification', () => {
  for (const [p, n] of [
    [0.3, 3],
    [0.5, 4],
  ] as const) {
    it(`p = ${p}, n = ${n}: attempts per request (1 − pⁿ)/(1 − p) and success 1 − pⁿ (99% CI of 6 replications)`, async () => {
      const v = (await runStudy([{ name: 'base', scenario: twoTier(p, n - 1) }])).summary.variants[0]!;
      expectInCi(v.metrics.attemptsPerRequest, 6, (1 - p ** n) / (1 - p));
      expectInCi(v.metrics.successRate, 6, 1 - p ** n);
    });
  }

  it('three tiers of three attempts at total failure send 27 attempts to the bottom per request', async () => {
    const call = (to: string) => [{ call: { to, method: `x.${to}/Call` } }];
    const pod = (handler: unknown[]) => ({ workers: 64, queue: 10000, serviceTime: { distribution: 'constant', value: '1ms' }, handler });
    const s = scenario.parse({
      name: 'stack',
      seed: 2,
      duration: '10s',
      warmup: '1s',
      replications: 1,
      network: { latency: '0s' },
      mesh: { dataPlane: 'sidecar', proxyLatency: '0s' },
      services: {
        web: { calls: [{ to: 'a', rate: '20/s' }] },
        a: { pod: pod(call('b')) },
        b: { pod: pod(call('c')) },
        c: { pod: pod([]) },
      },
      routes: Object.fromEntries(['a', 'b', 'c'].map((d) => [d, { retries: { attempts: 2, retryOn: 'unavailable' } }])),
      faults: [{ target: 'c', errors: { rate: 1, status: 'UNAVAILABLE' } }],
    });
    const v = (await runStudy([{ name: 'base', scenario: s }])).summary.variants[0]!;
    const edge = (to: string) => v.edges.find((e) => e.to === to)!;
    const requests = edge('a').requests.mean;
    expect(requests).toBeGreaterThan(100);
    expect(edge('a').attempts.mean / requests).toBe(3);
    expect(edge('b').attempts.mean / requests).toBe(9);
    expect(edge('c').attempts.mean / requests).toBe(27);
    expect(v.metrics.successRate.mean).toBe(0);
  });
});
