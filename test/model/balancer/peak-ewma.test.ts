// Linkerd's balancer: P2C over tower's peak-EWMA cost (tower/src/load/peak_ewma.rs, linkerd2-proxy
// linkerd/proxy/balance/src/pool/p2c.rs). The estimator case by case on worked numbers, then the choice.
import { describe, expect, it } from 'vitest';
import {
  type Endpoint,
  LINKERD_DECAY,
  LINKERD_DEFAULT_RTT,
  type PeakEwmaPicker,
  peakEwma,
  peakEwmaCost,
  RttEstimate,
} from '../../../src/model/balancer/index.ts';
import { endpoints, expectBinomial, scripted, seeded, tally } from './helpers.ts';

/** A picker on a clock the test moves by hand. */
function manual(options: { defaultRtt?: number; decay?: number } = {}) {
  const clock = { t: 0 };
  const picker = peakEwma<Endpoint>({ now: () => clock.t, ...options });
  const observe = (e: Endpoint, rtt: number) => picker.feedback.observe(e, rtt, clock.t);
  return { clock, picker, observe };
}

/** Cost of `e` now; reading it decays the estimate, as tower's `load()` does. */
const cost = (picker: PeakEwmaPicker<Endpoint>, e: Endpoint) => picker.cost(e);

describe('peak-EWMA estimate (tower RttEstimate)', () => {
  it("Linkerd's defaults are default_rtt 30 ms and decay 10 s (REFERENCE §4.3)", () => {
    expect(LINKERD_DEFAULT_RTT).toBe(0.03);
    expect(LINKERD_DECAY).toBe(10);
  });

  it('before any answer an endpoint costs the default RTT', () => {
    const { picker } = manual();
    const [e] = endpoints(1) as [Endpoint];
    picker.update?.([e]);
    expect(cost(picker, e)).toBe(0.03);
  });

  it('an answer slower than the estimate becomes the estimate at once, however long since the last one', () => {
    const est = new RttEstimate(0.03, 0);
    expect(est.update(0.2, 0.001, 10)).toBe(0.2);
    expect(est.update(0.5, 100, 10)).toBe(0.5);
  });

  it('a faster answer is blended in with weight 1 − exp(−Δt/τ): 100 ms, then 20 ms 5 s later → 68.52 ms', () => {
    const est = new RttEstimate(0.1, 0);
    // w = e^(−5/10) = 0.606531; 0.1·w + 0.02·(1 − w) = 0.0606531 + 0.0078694 = 0.0685225
    expect(est.update(0.02, 5, 10)).toBeCloseTo(0.0685225, 7);
    expect(est.updatedAt).toBe(5);
    // An answer in the same instant moves nothing (Δt = 0, w = 1), even one of 0 s.
    expect(est.update(0, 5, 10)).toBeCloseTo(0.0685225, 7);
  });

  it('an equal answer is not a peak: the blend leaves it unchanged', () => {
    const est = new RttEstimate(0.2, 0);
    expect(est.update(0.2, 3, 1)).toBeCloseTo(0.2, 12);
  });

  it('with no answers the estimate decays toward zero as it is read (tower default_decay)', () => {
    const { clock, picker } = manual({ defaultRtt: 0.01, decay: 1 });
    const [e] = endpoints(1) as [Endpoint];
    picker.update?.([e]);
    clock.t = 0.1;
    expect(cost(picker, e)).toBeCloseTo(0.01 * Math.exp(-0.1), 12);
    clock.t = 0.2;
    expect(cost(picker, e)).toBeCloseTo(0.01 * Math.exp(-0.2), 12);
  });

  it('cost is estimate × (pending + 1)', () => {
    expect(peakEwmaCost(0.05, 0)).toBe(0.05);
    expect(peakEwmaCost(0.05, 3)).toBeCloseTo(0.2, 12);
    const { picker } = manual();
    const [e] = endpoints(1, [], [3]) as [Endpoint];
    picker.update?.([e]);
    expect(cost(picker, e)).toBeCloseTo(0.12, 12);
  });

  it("tower's compound_decay test: two requests of 200 ms each, default 20 ms, τ = 1 s", () => {
    const { clock, picker, observe } = manual({ defaultRtt: 0.02, decay: 1 });
    const [e] = endpoints(1) as [Endpoint];
    picker.update?.([e]);
    expect(cost(picker, e)).toBe(0.02);
    clock.t = 0.1;
    e.active = 1; // rsp0 sent
    expect(cost(picker, e)).toBeGreaterThan(0.02);
    clock.t = 0.2;
    e.active = 2; // rsp1 sent
    expect(cost(picker, e)).toBeGreaterThan(0.04);
    clock.t = 0.3;
    observe(e, 0.2); // rsp0 answered after 200 ms: a peak
    e.active = 1;
    expect(cost(picker, e)).toBeCloseTo(0.4, 12);
    clock.t = 0.4;
    observe(e, 0.2); // rsp1 after 200 ms: equal to the estimate
    e.active = 0;
    expect(cost(picker, e)).toBeCloseTo(0.2, 12);
    clock.t = 1.4;
    expect(cost(picker, e)).toBeLessThan(0.1);
    clock.t = 11.4;
    expect(cost(picker, e)).toBeLessThan(0.0001);
  });

  it('an endpoint that leaves and comes back starts again from the default; answers from it meanwhile are dropped', () => {
    const { clock, picker, observe } = manual();
    const set = endpoints(2);
    const [a, b] = set as [Endpoint, Endpoint];
    picker.update?.(set);
    observe(a, 0.5);
    expect(cost(picker, a)).toBe(0.5);
    picker.update?.([b]);
    observe(a, 0.9);
    clock.t = 1;
    picker.update?.(set);
    expect(cost(picker, a)).toBe(0.03);
  });
});

describe('P2C over peak-EWMA cost (linkerd2-proxy P2cPool)', () => {
  it('of two endpoints, always picks the one that costs less', () => {
    const { picker, observe } = manual();
    const set = endpoints(2);
    picker.update?.(set);
    observe(set[0]!, 0.25);
    observe(set[1]!, 0.01);
    expect(tally(picker, set, seeded('ewma/two'), 1000)).toEqual([0, 1000]);
  });

  it('pending requests count: an endpoint twice as fast with 2 requests outstanding costs more', () => {
    const { picker, observe } = manual();
    const set = endpoints(2, [], [2, 0]);
    picker.update?.(set);
    observe(set[0]!, 0.05); // peaks: 50 ms × (2 + 1) = 150 ms
    observe(set[1]!, 0.1); // 100 ms × 1
    expect(tally(picker, set, seeded('ewma/pending'), 100)).toEqual([0, 100]);
    set[0]!.active = 0; // 50 ms × 1 < 100 ms
    expect(tally(picker, set, seeded('ewma/pending'), 100)).toEqual([100, 0]);
  });

  it('the pair is gen_pair: a = ⌊u₁·n⌋, b = ⌊u₂·(n − 1)⌋ moved past a; ties keep a', () => {
    const { picker } = manual();
    const set = endpoints(4);
    picker.update?.(set);
    expect(picker.pick(set, scripted(0.3, 0.1)).id).toBe(1); // a = 1, b = 0: tie, a kept
    expect(picker.pick(set, scripted(0.1, 0.5)).id).toBe(0); // a = 0, b = 1 → 2
    const { picker: p2, observe } = manual();
    p2.update?.(set);
    observe(set[1]!, 0.5);
    expect(p2.pick(set, scripted(0.3, 0.4)).id).toBe(2); // a = 1, b = 1 → 2, less costly
  });

  it('the two compared endpoints are distinct and each ordered pair comes up with probability 1/(n(n−1))', () => {
    const n = 4;
    const picks = 60_000;
    const set = endpoints(n);
    const compared: number[] = [];
    const picker = peakEwma<Endpoint>({
      now: () => 0,
      pending: (e) => {
        compared.push(e.id);
        return 0;
      },
    });
    picker.update?.(set);
    const rng = seeded('ewma/pairs');
    const pairs = new Map<string, number>();
    for (let k = 0; k < picks; k++) {
      compared.length = 0;
      const chosen = picker.pick(set, rng).id;
      const [a, b] = compared as [number, number];
      expect(a).not.toBe(b);
      expect(chosen).toBe(a); // equal costs: the first of the pair is kept
      pairs.set(`${a}-${b}`, (pairs.get(`${a}-${b}`) ?? 0) + 1);
    }
    expect(pairs.size).toBe(n * (n - 1));
    for (const count of pairs.values()) expectBinomial(count, picks, 1 / (n * (n - 1)));
  });

  it('a single endpoint is returned without drawing', () => {
    const { picker } = manual();
    const set = endpoints(1);
    expect(picker.pick(set, scripted()).id).toBe(0);
  });

  it('rejects a default RTT or decay that is not a positive finite number', () => {
    expect(() => peakEwma({ now: () => 0, defaultRtt: 0 })).toThrow(RangeError);
    expect(() => peakEwma({ now: () => 0, decay: Number.POSITIVE_INFINITY })).toThrow(RangeError);
  });
});
