// The base model against queueing theory, with fixed seeds. Each expected value must fall inside the
// 99% confidence interval of the replication means (see helpers.ts); the references are textbook:
// M/M/1 sojourn time is exponential with rate μ−λ (Kleinrock, Queueing Systems vol. 1, §3.2);
// M/M/c mean wait is C(c, a)/(cμ − λ) with Erlang's C formula (Kleinrock §3.5); Little's law L = λW.
import { describe, expect, it } from 'vitest';
import { erlangC, expectInCi, study } from './helpers.ts';

const mm = (name: string, workers: number, rate: number, replications: number, duration: string) => ({
  name,
  seed: 11,
  duration,
  warmup: '10s',
  replications,
  network: { latency: '0s' }, // clients call the pod directly, no network: pure queueing
  services: {
    client: { calls: [{ to: 'server', method: 'demo.Server/Work', rate: `${rate}/s` }] },
    server: { pod: { workers, queue: 1_000_000, serviceTime: { distribution: 'exponential' as const, mean: '1ms' } } },
  },
});

describe('M/M/1', () => {
  it('mean and p99 response time match the exponential sojourn time (ρ = 0.8)', async () => {
    const v = await study(mm('mm1', 1, 800, 8, '150s'));
    const rate = 1000 - 800; // μ − λ per second
    expectInCi(v.metrics.latencyMs.mean, 8, 1000 / rate);
    expectInCi(v.metrics.latencyMs.p99, 8, (Math.log(100) * 1000) / rate);
    expect(v.metrics.successRate.mean).toBe(1);
  });
});

describe('M/M/c against Erlang C (c = 8, μ = 1000/s)', () => {
  for (const rho of [0.5, 0.8, 0.9]) {
    it(`mean queue wait at utilization ${rho}`, async () => {
      const lambda = 8000 * rho;
      const v = await study(mm(`mmc-${rho}`, 8, lambda, 8, '100s'));
      const wqMs = (erlangC(8, lambda / 1000) / (8000 - lambda)) * 1000;
      expectInCi(v.metrics.queueWaitMs.mean, 8, wqMs);
      // Response time = wait + service (1 ms): the same check one level up.
      expectInCi(v.metrics.latencyMs.mean, 8, wqMs + 1);
    });
  }
});

describe("Little's law", () => {
  it('busy workers = λ · E[S]: utilization of an M/M/8 at 80% is 0.8', async () => {
    const v = await study(mm('little-servers', 8, 6400, 6, '60s'));
    expectInCi(v.pods[0]!.utilization, 6, 0.8);
  });

  it('closed loop: users N = throughput · (response time + think time)', async () => {
    const v = await study({
      name: 'little-closed',
      seed: 5,
      duration: '60s',
      warmup: '5s',
      replications: 6,
      network: { latency: '0s' },
      services: {
        client: {
          replicas: 4,
          calls: [{ to: 'server', concurrency: 40, thinkTime: { distribution: 'exponential', mean: '10ms' }, loadBalancing: 'round_robin' }],
        },
        server: { replicas: 2, pod: { workers: 4, queue: 1000, serviceTime: { distribution: 'exponential', mean: '2ms' } } },
      },
    });
    // Per replication N = X(R + Z) holds up to end effects; the product of the means is within 1%.
    // Round robin keeps replications alike: with L4 pinning the split of clients over pods differs per
    // replication, X and R are then correlated across replications and mean(X)·mean(R+Z) drifts ~3%.
    const n = (v.metrics.throughputRps.mean * (v.metrics.latencyMs.mean.mean + 10)) / 1000;
    expect(Math.abs(n - 40) / 40).toBeLessThan(0.01);
  });
});
