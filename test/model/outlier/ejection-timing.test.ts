// Ejection timing on virtual time: consecutive errors eject at once, sweeps uneject on the interval grid, the multiplier
// grows per ejection up to max_ejection_time, decays one step per healthy interval, and jitter stays in bounds.
import { describe, expect, it } from 'vitest';
import type { OutlierDetector } from '../../../src/model/outlier/index.ts';
import { detector, feed, feedRate, intervalOnly, scripted, seeded } from './helpers.ts';

/** Runs sweeps at every multiple of `interval` in (from, to]; returns when host `host` got unejected, or undefined. */
function sweepUntilUnejected(d: OutlierDetector, host: number, from: number, to: number, interval = 10): number | undefined {
  for (let t = Math.floor(from / interval) * interval + interval; t <= to; t += interval) {
    if (d.onInterval(t).unejected.includes(host)) return t;
  }
  return undefined;
}

describe('ejection timing', () => {
  it('a consecutive-5xx ejection starts at the fifth error and ends at the first sweep ≥ 30 s later (40 s for t = 3)', () => {
    const d = detector(10);
    feed(d, 0, 500, 4, 3);
    expect(d.isEjected(0)).toBe(false);
    expect(d.putResult(0, 500, 3)).toEqual({ host: 0, kind: 'consecutive5xx', at: 3, duration: 30 });
    expect(d.ejectedHosts()).toEqual([0]);
    for (const t of [10, 20, 30]) expect(d.onInterval(t).unejected).toEqual([]);
    expect(d.onInterval(40).unejected).toEqual([0]);
    expect(d.isEjected(0)).toBe(false);
  });

  it('a failure-percentage ejection starts and ends on sweeps, judging only the interval that just ended', () => {
    const d = detector(10, { ...intervalOnly, enforcingFailurePercentage: 100 });
    expect(d.onInterval(10).ejected).toEqual([]);
    for (let h = 1; h < 10; h++) feedRate(d, h, 50, 0, 12);
    feedRate(d, 0, 50, 50, 12); // judged at the sweep that closes [10, 20)
    expect(d.onInterval(20).ejected).toEqual([{ host: 0, kind: 'failurePercentage', at: 20, duration: 30 }]);
    expect(d.onInterval(40).unejected).toEqual([]);
    expect(d.onInterval(50).unejected).toEqual([0]);
  });

  it('volume does not carry over: 25 failures in each of two intervals never reach the volume of 50', () => {
    const d = detector(10, { ...intervalOnly, enforcingFailurePercentage: 100 });
    for (const [from, to] of [
      [0, 10],
      [10, 20],
      [20, 30],
    ]) {
      for (let h = 1; h < 10; h++) feedRate(d, h, 50, 0, from!);
      feedRate(d, 0, 25, 25, from!);
      expect(d.onInterval(to!).ejected).toEqual([]);
    }
    feedRate(d, 0, 50, 50, 30);
    for (let h = 1; h < 10; h++) feedRate(d, h, 50, 0, 30);
    expect(d.onInterval(40).ejected.map((e) => e.host)).toEqual([0]);
  });

  it('successive ejections last 30, 60, … 300 s, then stay at 300 s; the multiplier stops at 11', () => {
    const d = detector(10);
    const lengths: number[] = [];
    let now = 0;
    for (let k = 0; k < 13; k++) {
      feed(d, 0, 500, 5, now);
      const end = sweepUntilUnejected(d, 0, now, now + 400)!;
      lengths.push(end - now);
      now = end; // fails again right after the sweep that unejected it, before any decay
    }
    expect(lengths).toEqual([30, 60, 90, 120, 150, 180, 210, 240, 270, 300, 300, 300, 300]);
    expect(d.state(0)?.multiplier).toBe(11); // grows only while multiplier·base < max + base: 11·30 = 330 stops it
  });

  it('the multiplier decays one step per healthy interval after unejection, never below 0', () => {
    const d = detector(10);
    let now = 0;
    for (let k = 0; k < 3; k++) {
      feed(d, 0, 500, 5, now);
      now = sweepUntilUnejected(d, 0, now, now + 400)!;
    }
    expect(now).toBe(30 + 60 + 90);
    expect(d.state(0)?.multiplier).toBe(3);
    const multipliers: number[] = [];
    for (let t = now + 10; t <= now + 50; t += 10) {
      d.onInterval(t);
      multipliers.push(d.state(0)!.multiplier);
    }
    expect(multipliers).toEqual([2, 1, 0, 0, 0]);
    now += 50;
    feed(d, 0, 500, 5, now);
    expect(sweepUntilUnejected(d, 0, now, now + 400)).toBe(now + 30);
  });

  it('from the maximum, the multiplier returns to base after (max/base)·interval of health, as Envoy documents', () => {
    const d = detector(10);
    let now = 0;
    for (let k = 0; k < 11; k++) {
      feed(d, 0, 500, 5, now);
      now = sweepUntilUnejected(d, 0, now, now + 400)!;
    }
    expect(d.state(0)?.multiplier).toBe(11);
    let t = now;
    while (d.state(0)!.multiplier > 1) d.onInterval((t += 10));
    expect(t - now).toBe(100); // 11 → 1 in ten sweeps = (300 / 30)·10 s
  });

  it('jitter adds a whole number of milliseconds in [0, max_ejection_time_jitter], pushing the unejection a sweep later', () => {
    const top = detector(10, { maxEjectionTimeJitter: 0.5 }, scripted(0.999_999));
    feed(top, 0, 500, 4, 0);
    expect(top.putResult(0, 500, 0)?.duration).toBe(30.5);
    expect(top.onInterval(10).unejected).toEqual([]);
    expect(top.onInterval(30).unejected).toEqual([]);
    expect(top.onInterval(40).unejected).toEqual([0]);

    const rng = seeded('jitter');
    const jitters = new Set<number>();
    for (let run = 0; run < 2000; run++) {
      const d = detector(10, { maxEjectionTimeJitter: 0.005 }, rng);
      feed(d, 0, 500, 4, 0);
      const ms = Math.round((d.putResult(0, 500, 0)!.duration - 30) * 1000);
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThanOrEqual(5);
      jitters.add(ms);
    }
    expect([...jitters].sort()).toEqual([0, 1, 2, 3, 4, 5]); // every value of rand % (5 + 1) occurs
  });

  it('unejection clears the consecutive counters, and an ejected host is skipped while its counter runs on', () => {
    const d = detector(10);
    feed(d, 0, 500, 5, 0);
    feed(d, 0, 500, 5, 1); // the fifth of these would match the threshold again, but the host is ejected
    expect(d.detected.consecutive5xx).toBe(1);
    expect(d.state(0)?.consecutive5xx).toBe(5);
    d.onInterval(30);
    expect(d.state(0)).toMatchObject({ ejected: false, consecutive5xx: 0, consecutiveGatewayFailure: 0 });
  });
});
