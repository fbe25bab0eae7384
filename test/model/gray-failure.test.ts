// Gray failure: one of five pods answers OK but 8× slower for the whole run. Round robin cannot see it and
// gives it exactly its turn; Linkerd's P2C over peak EWMA (tower/src/load/peak_ewma.rs) learns its latency from
// the answers and sends it far less.
import { describe, expect, it } from 'vitest';
import type { ScenarioInput } from '../../src/scenario/schema.ts';
import { build, simulate, tapPods } from './helpers.ts';

const PODS = 5;

const base = (proxy: 'envoy' | 'linkerd', simple: 'ROUND_ROBIN' | 'LEAST_REQUEST'): ScenarioInput => ({
  name: 'gray-failure-small',
  seed: 11,
  duration: '20s',
  warmup: '0s',
  mesh: { dataPlane: 'sidecar', proxy },
  services: {
    frontend: { replicas: 3, calls: [{ to: 'payments', method: 'payments.Payments/Charge', rate: '300/s', deadline: '2s' }] },
    payments: { replicas: PODS, pod: { workers: 4, queue: 1000, serviceTime: { distribution: 'exponential', mean: '5ms' } } },
  },
  trafficPolicy: { payments: { loadBalancer: { simple } } },
  faults: [{ at: '0s', for: '20s', target: 'payments/0', slowdown: '8x' }],
});

/** Requests that reached each payments pod, by pod index, their total, and the outlier ejections made. */
function perPod(input: ScenarioInput): { counts: number[]; total: number; ejections: number } {
  const counts = Array.from({ length: PODS }, () => 0);
  const world = simulate(build(input), 1, undefined, (w) =>
    tapPods(w, 'payments', ({ pod }) => {
      counts[pod.index]!++;
    }),
  );
  return { counts, total: counts.reduce((a, b) => a + b, 0), ejections: world.outlier.ejections.length };
}

describe('gray failure: one slow pod that never fails', () => {
  it('round robin gives the slow pod exactly 1/n, up to one request per balancer rotation', () => {
    const { counts, total } = perPod(base('envoy', 'ROUND_ROBIN'));
    // Each of the 3 sidecars × 2 Envoy workers rotates over the 5 pods on its own, so each rotation's count for
    // pod 0 is within 1 of its picks / 5: the total is within 6 of total / 5.
    expect(total).toBeGreaterThan(5000);
    expect(Math.abs(counts[0]! - total / PODS)).toBeLessThanOrEqual(6);
  });

  it('outlier detection never ejects it, even with a cap that would allow two ejections: it never fails', () => {
    const input = base('envoy', 'LEAST_REQUEST');
    input.trafficPolicy = {
      payments: {
        loadBalancer: { simple: 'LEAST_REQUEST' },
        outlierDetection: { consecutive5xxErrors: 5, consecutiveGatewayErrors: 5, interval: '1s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
      },
    };
    const withOd = perPod(input);
    const without = perPod(base('envoy', 'LEAST_REQUEST'));
    expect(withOd.ejections).toBe(0);
    expect(withOd.counts).toEqual(without.counts);
  });

  it("Linkerd's peak-EWMA P2C sends the slow pod well under half of round robin's share, but not nothing", () => {
    const { counts, total } = perPod(base('linkerd', 'ROUND_ROBIN'));
    const share = counts[0]! / total;
    // Bound: half of round robin's 1/n. The slow pod answers in ~40 ms against ~5 ms, so it wins a comparison only
    // while its decaying estimate × (pending + 1) is at or below a healthy pod's — rarely; the measured share with this
    // seed is 0.8 %. It is never 0: idle estimates decay toward zero (tower reads load as an update with RTT 0),
    // so the slow pod is tried again now and then, and P2C picks it when paired with a busier pod.
    expect(share).toBeLessThan(0.5 / PODS);
    expect(counts[0]!).toBeGreaterThan(0);
    // The others share the rest about evenly.
    for (let i = 1; i < PODS; i++) expect(counts[i]! / total).toBeGreaterThan((1 - share) / (PODS - 1) - 0.03);
  });
});
