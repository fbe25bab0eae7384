// Detected vs enforced ejections (REFERENCE §1.1–1.2): gateway errors are a subset of 5xx, the gateway detector is not
// enforced by default, and each kind has its own enforcing percentage decided by a coin flip.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detector, feed, scripted, seeded } from './helpers.ts';

describe('detected vs enforced', () => {
  it('five 503s: the gateway detector fires but is not enforced (enforcing 0), then the 5xx detector ejects', () => {
    const d = detector(10);
    feed(d, 0, 503, 4, 0);
    expect(d.putResult(0, 503, 0)?.kind).toBe('consecutive5xx');
    expect(d.detected).toMatchObject({ consecutiveGatewayFailure: 1, consecutive5xx: 1 });
    expect(d.enforced).toMatchObject({ consecutiveGatewayFailure: 0, consecutive5xx: 1 });
  });

  it('gateway errors are a subset of 5xx: a 500 resets the gateway count but adds to the 5xx count', () => {
    const d = detector(10, { consecutive5xx: 10 });
    feed(d, 0, 503, 4, 0);
    d.putResult(0, 500, 0);
    expect(d.state(0)).toMatchObject({ consecutiveGatewayFailure: 0, consecutive5xx: 5 });
    d.putResult(0, 200, 0);
    expect(d.state(0)).toMatchObject({ consecutiveGatewayFailure: 0, consecutive5xx: 0 });
  });

  it('with a gateway threshold below the 5xx threshold and enforcing 100, gateway errors eject first', () => {
    const d = detector(10, { consecutiveGatewayFailure: 3, enforcingConsecutiveGatewayFailure: 100 });
    feed(d, 0, 502, 2, 0);
    expect(d.putResult(0, 504, 0)?.kind).toBe('consecutiveGatewayFailure');
    feed(d, 1, 500, 3, 0);
    expect(d.isEjected(1)).toBe(false);
  });

  it('a detection fires when the count equals the threshold, and the count restarts after it', () => {
    const d = detector(10, { consecutive5xx: 10 });
    feed(d, 0, 503, 12, 0);
    expect(d.detected.consecutiveGatewayFailure).toBe(2); // at the 5th and the 10th
    expect(d.state(0)?.consecutiveGatewayFailure).toBe(2);
  });

  it('an enforcing percentage between 0 and 100 is a coin flip: enforced when draw·100 < percent', () => {
    const d = detector(10, { enforcingConsecutive5xx: 50, maxEjectionPercent: 100 }, scripted(0.5, 0.49));
    feed(d, 0, 500, 5, 0);
    expect(d.isEjected(0)).toBe(false);
    feed(d, 1, 500, 5, 0);
    expect(d.isEjected(1)).toBe(true);
    expect(d.detected.consecutive5xx).toBe(2);
    expect(d.enforced.consecutive5xx).toBe(1);
  });

  it('a threshold of 0 never fires', () => {
    const d = detector(10, { consecutive5xx: 0, consecutiveGatewayFailure: 0 });
    feed(d, 0, 503, 100, 0);
    expect(d.detected.consecutive5xx + d.detected.consecutiveGatewayFailure).toBe(0);
  });

  it('an active health check success unejects at once and clears the counters', () => {
    const d = detector(10);
    feed(d, 0, 500, 5, 0);
    expect(d.healthCheckSucceeded(0, 2)).toBe(true);
    expect(d.state(0)).toMatchObject({ ejected: false, consecutive5xx: 0, lastUnejectionTime: 2 });
    expect(d.healthCheckSucceeded(0, 3)).toBe(false);
  });

  it('hosts join and leave; a removed ejected host frees its place under the cap, results for unknown hosts are ignored', () => {
    const d = detector(10);
    feed(d, 0, 500, 5, 0);
    d.removeHost(0);
    d.addHost(10);
    expect(d.putResult(0, 500, 0)).toBeUndefined();
    feed(d, 10, 500, 5, 0);
    expect(d.ejectedHosts()).toEqual([10]);
  });
});

describe('detector properties', () => {
  const events = fc.array(fc.tuple(fc.nat(9), fc.constantFrom(200, 500, 502, 503, 504), fc.nat(20)), { maxLength: 400 });

  /** Replays `script` (host, code, tick when the third value is 0) on a seeded detector; returns the detector and what each call returned. */
  function replay(script: [number, number, number][], seed: number) {
    const d = detector(
      10,
      { enforcingConsecutive5xx: 70, enforcingConsecutiveGatewayFailure: 50, maxEjectionTimeJitter: 1, maxEjectionPercent: 50 },
      seeded('replay', seed),
    );
    let now = 0;
    const trace: unknown[] = [];
    for (const [host, code, tick] of script) {
      if (tick === 0) trace.push(d.onInterval((now += 10)));
      else trace.push(d.putResult(host, code, now));
    }
    return { d, trace };
  }

  it('property: same seed ⇒ same run', () => {
    fc.assert(
      fc.property(events, fc.nat(1000), (script, seed) => {
        expect(replay(script, seed).trace).toEqual(replay(script, seed).trace);
      }),
    );
  });

  it('property: every detection is enforced, overflowed, or lost to the coin flip — never more enforced than detected', () => {
    fc.assert(
      fc.property(events, (script) => {
        const { d } = replay(script, 1);
        const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
        for (const kind of Object.keys(d.detected) as (keyof typeof d.detected)[]) expect(d.enforced[kind]).toBeLessThanOrEqual(d.detected[kind]);
        expect(sum(d.enforced) + d.ejectionsOverflow).toBeLessThanOrEqual(sum(d.detected));
        expect(d.ejectedHosts().length).toBeLessThanOrEqual(5);
      }),
    );
  });
});
