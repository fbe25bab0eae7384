// The share-of-requests-per-pod-over-time chart: shares per window add up to 100 %, it follows the
// service a fault targets, and it stays away when nothing changes pod by pod or there are too many pods.
import { describe, expect, it } from 'vitest';
import { MAX_PODS, podShareOverTime, podSharePoints, shareService } from '../../src/charts/pod-share-over-time.ts';
import { makeRunOutput, runOutput, syntheticRunOutput } from '../fixtures/run-output.ts';

describe('pod share over time', () => {
  it("each variant's pod shares add up to 100 % in every window", () => {
    const { points } = podSharePoints(runOutput, 'payments');
    const sums = new Map<string, number>();
    for (const p of points) sums.set(`${p.variant}@${p.t}`, (sums.get(`${p.variant}@${p.t}`) ?? 0) + p.sharePct);
    expect(sums.size).toBeGreaterThan(0);
    // Each share is rounded to 4 significant digits: 10 pods × 0.005 at most.
    for (const sum of sums.values()) expect(Math.abs(sum - 100)).toBeLessThan(0.05);
  });

  it('a share is the pod’s requests over the service’s in that window, averaged over replications', () => {
    const out = makeRunOutput();
    const at = (v: string, rep: number, t: number) => out.tables.podTimeseries.filter((r) => r.variant === v && r.replication === rep && r.t === t);
    const reps = out.summary.replications;
    let expected = 0;
    for (let rep = 0; rep < reps; rep++) {
      const window = at('l7-rr', rep, 30);
      expected += window.find((r) => r.pod === 0)!.requests / window.reduce((s, r) => s + r.requests, 0);
    }
    const point = podSharePoints(out, 'payments').points.find((p) => p.variant === 'l7-rr' && p.pod === 'payments/0' && p.t === 30)!;
    expect(point.sharePct).toBeCloseTo((100 * expected) / reps, 2);
  });

  it('follows the service a fault targets, else the first with 2…12 pods', () => {
    expect(shareService(runOutput)).toBe('payments');
    const out = syntheticRunOutput(2, { frontend: 3, payments: 4 }, 30, { addedAt: 10 });
    expect(shareService(out)).toBe('frontend');
    out.summary.variants[0]!.faults = [{ target: 'payments/1', kind: 'slowdown', from: 5, to: 10 }];
    expect(shareService(out)).toBe('payments');
  });

  it('draws nothing without a fault or a change of pods, or with more than 12 pods', () => {
    const quiet = makeRunOutput();
    for (const v of quiet.summary.variants) v.faults = [];
    expect(podShareOverTime(quiet)).toBeUndefined();
    expect(podShareOverTime(syntheticRunOutput(2, { payments: 6 }, 30, { addedAt: 10 }))).toBeDefined();
    expect(podShareOverTime(syntheticRunOutput(2, { payments: MAX_PODS + 1 }, 30, { addedAt: 10 }))).toBeUndefined();
  });
});
