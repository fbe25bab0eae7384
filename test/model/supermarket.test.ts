// One client pod behind an Envoy sidecar with one worker, no proxy or network delay, in front of N
// single-worker pods with exponential service (μ = 1000/s) and Poisson arrivals at N·ρ·μ. The proxy
// worker's view of a pod (its active requests) is then exactly the pod's number in system, so:
//  - RANDOM splits a Poisson stream independently and uniformly: N independent M/M/1 queues, each at
//    load ρ, with mean response time 1/(μ − λ/N) = 1/(μ(1 − ρ)) (Kleinrock, Queueing Systems vol. 1, §3.2).
//  - LEAST_REQUEST (Envoy P2C: two draws with replacement, strictly fewer active requests wins, the first
//    drawn keeps ties) is JSQ(2), the "supermarket model". For N → ∞ its mean time in system, in units of
//    1/μ, is Σ_{i≥1} ρ^{(d^i − d)/(d − 1)} = Σ_{i≥1} ρ^{2^i − 2} for d = 2 (Mitzenmacher, "The power of two
//    choices in randomized load balancing", IEEE Trans. Parallel and Distributed Systems 12(10), 2001,
//    the supermarket model's fixed point π_i = ρ^{(d^i − 1)/(d − 1)} summed over i ≥ 1, divided by ρ).
//
// Finite N with draws with replacement: the probability that an arrival joins a queue with ≥ i jobs is
// exactly (k_i/N)², k_i the number of such queues — the same function of the state as the mean-field
// limit s_i², but of a fluctuating k_i. As x ↦ x² is convex, E[(k_i/N)²] ≥ (E k_i/N)², so fluctuations
// send arrivals to long queues more often than the limit does: the finite-N mean is ABOVE Σ ρ^{2^i−2},
// by O(1/N) (for N = 20: ≈ +2% at ρ = 0.5, ≈ +9% at ρ = 0.9). Distinct draws (Linkerd) would be lower:
// k_i(k_i − 1)/(N(N − 1)) < (k_i/N)², so Envoy's with-replacement P2C is slightly worse than both.
// Rather than bound that correction loosely, the test simulates the idealised finite model directly
// (a continuous-time Markov chain, below) and requires meshsim to agree with it within the two 99%
// confidence intervals combined.
import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/engine/index.ts';
import { ci99, expectInCi, meanCi99, study } from './helpers.ts';

const N = 20;
const REPLICATIONS = 8;

/** Mitzenmacher's N → ∞ mean time in system for JSQ(d), in units of 1/μ. */
function supermarket(rho: number, d = 2): number {
  let sum = 0;
  for (let i = 1; i < 64; i++) {
    const term = rho ** ((d ** i - d) / (d - 1));
    sum += term;
    if (term < 1e-16) break;
  }
  return sum;
}

/**
 * The idealised model: N M/M/1 queues (μ = 1), Poisson arrivals at N·ρ, each sent to the shorter of two
 * uniform draws (with replacement unless `distinct`; the first drawn keeps ties). Simulated as a CTMC
 * (jump chain, crediting each state its expected holding time 1/rate, which lowers the variance), the
 * mean time in system by Little's law: E[T] = E[jobs] / (N·ρ). One value per replication.
 */
function jsq2(rho: number, steps: number, seed: string, distinct = false): number {
  const rng = new RandomStreams(1).stream(seed);
  const q = new Int32Array(N);
  const busy: number[] = [];
  const at = new Int32Array(N).fill(-1);
  const lambda = N * rho;
  const skip = Math.floor(steps / 20);
  let jobs = 0;
  let area = 0;
  let time = 0;
  for (let s = 0; s < steps; s++) {
    const rate = lambda + busy.length;
    if (s >= skip) {
      area += jobs / rate;
      time += 1 / rate;
    }
    if (rng.next() * rate < lambda) {
      const a = Math.floor(rng.next() * N);
      let b = Math.floor(rng.next() * N);
      while (distinct && b === a) b = Math.floor(rng.next() * N);
      const k = q[b]! < q[a]! ? b : a;
      if (q[k] === 0) {
        at[k] = busy.length;
        busy.push(k);
      }
      q[k]!++;
      jobs++;
    } else {
      const slot = Math.floor(rng.next() * busy.length);
      const k = busy[slot]!;
      q[k]!--;
      jobs--;
      if (q[k] === 0) {
        const last = busy.pop()!;
        if (last !== k) {
          busy[slot] = last;
          at[last] = slot;
        }
        at[k] = -1;
      }
    }
  }
  return area / time / lambda;
}

/** Replications of the idealised model: longer at ρ = 0.9, where queues relax slowly (≈ 80 000 and 200 000 service times each). */
const monteCarlo = (rho: number, distinct = false) => {
  const [reps, steps] = rho < 0.8 ? [6, 2_500_000] : [8, 6_000_000];
  return meanCi99(Array.from({ length: reps }, (_, r) => jsq2(rho, steps, `jsq2/${rho}/${distinct}/${r}`, distinct)));
};

const pods = (rho: number, simple: 'RANDOM' | 'LEAST_REQUEST') => ({
  name: `supermarket-${simple.toLowerCase()}-${rho}`,
  seed: 2001,
  duration: '12s',
  warmup: '2s',
  replications: REPLICATIONS,
  network: { latency: '0s' },
  mesh: { dataPlane: 'sidecar' as const, proxyWorkers: 1, proxyLatency: '0s' },
  trafficPolicy: { server: { loadBalancer: { simple } } },
  services: {
    client: { calls: [{ to: 'server', rate: `${N * rho * 1000}/s` }] },
    server: { replicas: N, pod: { workers: 1, queue: 10_000_000, serviceTime: { distribution: 'exponential' as const, mean: '1ms' } } },
  },
});

describe('the reference values', () => {
  it('Σ ρ^(2^i − 2): 1.2657 at ρ = 0.5, 2.6141 at ρ = 0.9', () => {
    expect(supermarket(0.5)).toBeCloseTo(1 + 0.5 ** 2 + 0.5 ** 6 + 0.5 ** 14 + 0.5 ** 30, 12);
    expect(supermarket(0.5)).toBeCloseTo(1.26569, 5);
    expect(supermarket(0.9)).toBeCloseTo(2.61406, 5);
  });
});

describe('RANDOM: N independent M/M/1 queues', () => {
  for (const rho of [0.5, 0.9]) {
    it(`mean response time 1/(μ − λ/N) at per-pod load ${rho}`, async () => {
      const { v, runs } = await study(pods(rho, 'RANDOM'));
      expectInCi(v.metrics.latencyMs.mean, REPLICATIONS, 1 / (1 - rho));
      // Each server is busy a fraction ρ of the time (Little's law on the server): so is their mean.
      const utilization = meanCi99(runs.map((r) => r.pods.reduce((a, p) => a + p.utilization, 0) / N));
      expect(Math.abs(utilization.mean - rho)).toBeLessThanOrEqual(utilization.half);
    });
  }
});

describe('LEAST_REQUEST: the supermarket model (JSQ(2) with replacement)', () => {
  for (const rho of [0.5, 0.9]) {
    it(`at load ${rho}: the finite-N JSQ(2) mean, just above Mitzenmacher's limit, far below RANDOM`, async () => {
      const { v } = await study(pods(rho, 'LEAST_REQUEST'));
      const [lo, hi] = ci99(v.metrics.latencyMs.mean, REPLICATIONS);
      const sim = { mean: v.metrics.latencyMs.mean.mean, half: (hi - lo) / 2 };
      const ideal = monteCarlo(rho);
      const distinct = monteCarlo(rho, true);
      const limit = supermarket(rho);

      // meshsim is the idealised finite model: equal within the combined 99% intervals.
      expect(Math.abs(sim.mean - ideal.mean)).toBeLessThanOrEqual(Math.hypot(sim.half, ideal.half));
      // The corrections go the way the convexity argument says: limit < distinct draws < with replacement.
      expect(distinct.mean - distinct.half).toBeGreaterThan(limit);
      expect(ideal.mean - ideal.half).toBeGreaterThan(distinct.mean + distinct.half);
      // Close to the supermarket value: no further from it than the finite model itself (plus noise) …
      expect(sim.mean + sim.half).toBeGreaterThanOrEqual(limit);
      expect(sim.mean - limit).toBeLessThanOrEqual(ideal.mean - limit + Math.hypot(sim.half, ideal.half));
      // … which for N = 20 is within 3% (ρ = 0.5) and 12% (ρ = 0.9) of it;
      expect(sim.mean / limit - 1).toBeLessThan(rho === 0.5 ? 0.03 : 0.12);
      // and far below RANDOM's M/M/1 value 1/(1 − ρ): 2 ms at 0.5, 10 ms at 0.9.
      expect(sim.mean + sim.half).toBeLessThan((rho === 0.5 ? 0.7 : 0.35) / (1 - rho));
    });
  }
});
