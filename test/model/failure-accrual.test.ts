// Linkerd failure accrual applied to traffic: a pod that fails every request is taken out of the
// balancer after `consecutiveFailures` failures in a row and probed again after each penalty, so it
// receives only the probes once its penalties reach the maximum. REFERENCE §4.3.
import { describe, expect, it } from 'vitest';
import { scenario } from '../../src/scenario/schema.ts';
import { runStudy } from '../../src/study/study.ts';

const linkerd = (accrual: boolean) =>
  scenario.parse({
    name: 'accrual',
    seed: 4,
    duration: '120s',
    warmup: '0s',
    replications: 1,
    mesh: { dataPlane: 'sidecar', proxy: 'linkerd', proxyLatency: '0s' },
    network: { latency: '0s' },
    services: {
      client: { calls: [{ to: 'server', rate: '200/s' }] },
      server: { replicas: 4, pod: { workers: 8, queue: 100, serviceTime: { distribution: 'exponential', mean: '2ms' } } },
    },
    trafficPolicy: accrual ? { server: { failureAccrual: { consecutiveFailures: 7, minPenalty: '1s', maxPenalty: '60s', jitterRatio: 0.5 } } } : {},
    faults: [{ target: 'server/0', errors: { rate: 1, status: 'UNAVAILABLE' } }],
  });

describe('Linkerd failure accrual', () => {
  it('without it the failing pod keeps its quarter of the requests', async () => {
    const v = (await runStudy([{ name: 'off', scenario: linkerd(false) }])).summary.variants[0]!;
    expect(v.pods[0]!.share.mean).toBeGreaterThan(0.2);
    expect(v.metrics.successRate.mean).toBeLessThan(0.8);
  });

  it('with it the failing pod gets only 7 failures per opening plus one probe per penalty', async () => {
    const v = (await runStudy([{ name: 'on', scenario: linkerd(true) }])).summary.variants[0]!;
    // Penalties 1–1.5, 2–3, 4–6, 8–12, 16–24, 32–48 s, then 60 s: in 120 s at most 8 openings. Each opening
    // costs the 7 failures that tripped it (the first) or one failed probe (the later ones), plus requests
    // already in flight when it trips (at most a few at 50/s per pod and 2 ms each).
    expect(v.pods[0]!.requests.mean).toBeLessThanOrEqual(7 + 8 + 8 * 2);
    expect(v.metrics.statusCounts.UNAVAILABLE?.mean ?? 0).toBe(v.pods[0]!.requests.mean);
    expect(v.metrics.successRate.mean).toBeGreaterThan(0.998);
  });
});
