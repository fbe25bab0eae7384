// max_ejection_percent case by case under the three versions of the rule (REFERENCE §1.4): Envoy ≥ 1.27 checks the
// share after the ejection, 1.31's always_eject_one_host lets the first through, pre-2023 Envoy checked it before.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EjectionCapRule, ejectionAllowed, type OutlierDetector } from '../../../src/model/outlier/index.ts';
import { detector, feed } from './helpers.ts';

/** Five 500s (not gateway errors) from each of hosts 0..k−1 at t = 0; returns how many got ejected. */
function failHosts(d: OutlierDetector, k: number): number {
  for (let h = 0; h < k; h++) feed(d, h, 500, 5, 0);
  return d.ejectedHosts().length;
}

describe('max_ejection_percent', () => {
  it('current rule, default 10 %: a cluster of 5 hosts never ejects; each detection is an overflow', () => {
    const d = detector(5);
    expect(failHosts(d, 5)).toBe(0);
    expect(d.detected.consecutive5xx).toBe(5);
    expect(d.enforced.consecutive5xx).toBe(0);
    expect(d.ejectionsOverflow).toBe(5);
  });

  it('current rule, default 10 %: 9 hosts never eject, 10 hosts eject one and no second', () => {
    expect(failHosts(detector(9), 9)).toBe(0);
    const ten = detector(10);
    expect(failHosts(ten, 10)).toBe(1);
    expect(ten.ejectionsOverflow).toBe(9);
    expect(failHosts(detector(20), 20)).toBe(2);
  });

  it('current rule: 3 hosts at 50 % eject one (33 %), not two (67 %) — the fix of envoy#26877', () => {
    expect(failHosts(detector(3, { maxEjectionPercent: 50 }), 3)).toBe(1);
  });

  it('always_eject_one_host: the first ejection goes through at any size, the second obeys the cap', () => {
    const d = detector(5, { alwaysEjectOneHost: true });
    expect(d.config.ejectionCapRule).toBe('alwaysOne');
    expect(failHosts(d, 5)).toBe(1);
    expect(d.ejectionsOverflow).toBe(4);
    expect(failHosts(detector(3, { ejectionCapRule: 'alwaysOne', maxEjectionPercent: 50 }), 3)).toBe(1);
  });

  it('pre-2023 rule: the share before the ejection must be below max, so 5 hosts eject one and 3 hosts at 50 % eject two', () => {
    expect(failHosts(detector(5, { ejectionCapRule: 'pre2023' }), 5)).toBe(1);
    expect(failHosts(detector(3, { ejectionCapRule: 'pre2023', maxEjectionPercent: 50 }), 3)).toBe(2);
    expect(failHosts(detector(10, { ejectionCapRule: 'pre2023' }), 10)).toBe(1);
  });

  it('the rule as a formula: (active, hosts, max) → allowed under current, always one, pre-2023', () => {
    const table: [number, number, number][] = [
      [0, 5, 10],
      [0, 10, 10],
      [1, 10, 10],
      [1, 3, 50],
      [0, 1, 0],
    ];
    const verdicts = table.map(([active, n, max]) => (['current', 'alwaysOne', 'pre2023'] as const).map((rule) => ejectionAllowed(rule, max, active, n)));
    expect(verdicts).toEqual([
      [false, true, true],
      [true, true, true],
      [false, false, false],
      [false, false, true],
      [false, true, false],
    ]);
  });

  it('at 100 % every host can be ejected, the whole cluster included', () => {
    expect(failHosts(detector(5, { maxEjectionPercent: 100 }), 5)).toBe(5);
  });

  it('an unejection frees room under the cap for the next ejection', () => {
    const d = detector(10);
    feed(d, 0, 500, 5, 0);
    feed(d, 1, 500, 5, 1);
    expect(d.ejectedHosts()).toEqual([0]);
    d.onInterval(30);
    feed(d, 1, 500, 5, 31); // the overflowed detection reset host 1's counter, so five more are needed
    expect(d.ejectedHosts()).toEqual([1]);
  });

  it('property: ejected hosts never exceed ⌊max·n/100⌋ (current), that or 1 (always one), ⌈max·n/100⌉ (pre-2023)', () => {
    const rules: EjectionCapRule[] = ['current', 'alwaysOne', 'pre2023'];
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 100 }),
        fc.constantFrom(...rules),
        fc.array(fc.tuple(fc.nat(29), fc.constantFrom(200, 500, 503), fc.boolean()), { maxLength: 300 }),
        (n, max, rule, events) => {
          const d = detector(n, { maxEjectionPercent: max, ejectionCapRule: rule });
          const share = (max * n) / 100;
          const bound = { current: Math.floor(share), alwaysOne: Math.max(1, Math.floor(share)), pre2023: Math.ceil(share) }[rule];
          let now = 0;
          for (const [host, code, tick] of events) {
            if (tick) d.onInterval((now += 10));
            else d.putResult(host % n, code, now);
            expect(d.ejectedHosts().length).toBeLessThanOrEqual(bound);
          }
        },
      ),
    );
  });
});
