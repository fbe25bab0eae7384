// kube-proxy balances connections, not requests (REFERENCE §7): k client pods with one gRPC
// connection each, on m pods, is "balls into bins". In iptables mode every connection picks a pod
// uniformly at random, so the numbers of connections per pod are multinomial(k; 1/m, …, 1/m):
//   - a pod gets none with probability (1 − 1/m)^k, so E[idle pod fraction] = (1 − 1/m)^k;
//   - when every connection carries the same number of requests, the busiest pod's requests over the
//     mean pod's are max_j c_j · m/k, so E[podLoadMaxOverMean] = E[max_j c_j] · m/k.
// E[max] is computed exactly here: the number of ways to put k labelled balls into m bins with at most t
// in each is W_t(m, k) = Σ_j C(k, j) W_t(m − 1, k − j) (choose the balls of the first bin), so
// P(max ≤ t) = W_t(m, k) / m^k and E[max] = Σ_{t ≥ 0} (1 − P(max ≤ t)), all in exact integers (BigInt).
//
// Equal requests per connection without Poisson noise: one closed-loop user per client pod with a
// constant think time, on pods with constant service time and a worker for every client (so nobody
// queues). Every user then runs the same deterministic cycle (think 10 ms, serve 1 ms, no network), all
// in step: every client issues exactly the same number of counted requests. podLoadMaxOverMean of a
// replication is then exactly max_j c_j · m/k, with no noise term to allow for, and the only
// tolerance is the replications' own: the exact expectation must lie in the 99% CI of their mean.
import { describe, expect, it } from 'vitest';
import type { ScenarioInput } from '../../src/scenario/schema.ts';
import { expectInCi, study } from './helpers.ts';

/** Ways to put `balls` labelled balls into `bins` bins with at most `cap` in each. */
function boundedWays(bins: number, balls: number, cap: number): bigint {
  const choose: bigint[][] = [];
  for (let n = 0; n <= balls; n++) {
    choose.push([1n]);
    for (let j = 1; j <= n; j++) choose[n]!.push((choose[n - 1]![j - 1] ?? 0n) + (choose[n - 1]![j] ?? 0n));
  }
  // ways[n]: distributions of n balls over the bins handled so far.
  let ways: bigint[] = Array.from({ length: balls + 1 }, (_, n) => (n === 0 ? 1n : 0n));
  for (let b = 0; b < bins; b++) {
    ways = ways.map((_, n) => {
      let sum = 0n;
      for (let j = 0; j <= Math.min(cap, n); j++) sum += choose[n]![j]! * ways[n - j]!;
      return sum;
    });
  }
  return ways[balls]!;
}

/** E[max load] of k balls thrown uniformly into m bins, exactly (to double precision at the end). */
function expectedMaxLoad(k: number, m: number): number {
  const total = BigInt(m) ** BigInt(k);
  let tail = 0n; // Σ_t (m^k − W_t): m^k · E[max]
  for (let t = 0; t < k; t++) tail += total - boundedWays(m, k, t);
  const scale = 10n ** 18n;
  return Number((tail * scale) / total) / 1e18;
}

/** The same by enumerating all m^k assignments (for small cases): E[max], E[empty bins]/m. */
function bruteForce(k: number, m: number): { max: number; idle: number } {
  let max = 0;
  let idle = 0;
  const total = m ** k;
  for (let code = 0; code < total; code++) {
    const counts = new Array(m).fill(0);
    for (let i = 0, c = code; i < k; i++, c = Math.floor(c / m)) counts[c % m]++;
    max += Math.max(...counts);
    idle += counts.filter((c) => c === 0).length / m;
  }
  return { max: max / total, idle: idle / total };
}

const REPLICATIONS = 1000;

/** k client pods, one user and one connection each, on m pods; see the header for why it is noise-free. */
const bins = (k: number, m: number, mesh: ScenarioInput['mesh'] = {}, replications = REPLICATIONS): ScenarioInput => ({
  name: `bins-${k}-${m}`,
  seed: 7,
  duration: '200ms',
  warmup: '50ms',
  replications,
  network: { latency: '0s' },
  mesh: { dataPlane: 'none' as const, ...mesh },
  services: {
    client: { replicas: k, calls: [{ to: 'server', concurrency: k, thinkTime: { distribution: 'constant' as const, value: '10ms' } }] },
    server: { replicas: m, pod: { workers: k, queue: 10, serviceTime: { distribution: 'constant' as const, value: '1ms' } } },
  },
});

describe('the exact balls-into-bins expectations', () => {
  it('the bounded-ways recursion agrees with enumerating every assignment', () => {
    for (const [k, m] of [
      [3, 2],
      [4, 3],
      [6, 4],
      [5, 5],
    ] as const) {
      const b = bruteForce(k, m);
      expect(expectedMaxLoad(k, m)).toBeCloseTo(b.max, 12);
      expect((1 - 1 / m) ** k).toBeCloseTo(b.idle, 12);
    }
    // Corner cases: one bin holds everything; one ball makes max 1.
    expect(expectedMaxLoad(7, 1)).toBe(7);
    expect(expectedMaxLoad(1, 9)).toBe(1);
  });
});

describe('kube-proxy iptables: one random pod per connection', () => {
  for (const [k, m] of [
    [6, 10],
    [20, 5],
  ] as const) {
    it(`${k} connections on ${m} pods: idle pods (1 − 1/m)^k and busiest pod E[max]·m/k, as balls into bins`, async () => {
      const { v, runs } = await study(bins(k, m));
      // Every client carried the same number of requests (the premise of the exact ratio).
      for (const r of runs) {
        const total = r.pods.reduce((a, p) => a + p.requests, 0);
        expect(total % k).toBe(0);
        for (const p of r.pods) expect(p.requests % (total / k)).toBe(0);
      }
      expect(v.metrics.successRate.mean).toBe(1);
      expectInCi(v.metrics.idlePodFraction, REPLICATIONS, (1 - 1 / m) ** k);
      expectInCi(v.metrics.podLoadMaxOverMean, REPLICATIONS, (expectedMaxLoad(k, m) * m) / k);
    });
  }
});

describe('kube-proxy IPVS: round robin, one rotation per node', () => {
  it('k ≤ m connections from one node land on k distinct pods in every replication', async () => {
    const k = 4;
    const m = 6;
    const { runs } = await study(bins(k, m, { kubeProxy: 'ipvs', nodes: 1 }, 20));
    for (const r of runs) {
      const loaded = r.pods.filter((p) => p.requests > 0);
      expect(loaded).toHaveLength(k);
      expect(new Set(loaded.map((p) => p.requests)).size).toBe(1); // one connection each
    }
  });

  it('each node rotates on its own: 8 connections from 2 nodes on 4 pods give every pod exactly 2', async () => {
    // 8 client pods alternate over 2 nodes: each node's 4 connections make one full rotation of the 4
    // pods, whatever pod its rotation starts at, so every pod gets one connection from each node.
    const { runs } = await study(bins(8, 4, { kubeProxy: 'ipvs', nodes: 2 }, 10));
    for (const r of runs) {
      const total = r.pods.reduce((a, p) => a + p.requests, 0);
      const perConnection = total / 8;
      for (const p of r.pods) expect(p.requests / perConnection).toBe(2);
    }
  });
});
