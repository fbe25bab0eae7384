// Linkerd's consecutive failure accrual on virtual time: opening, the penalty schedule and its jitter bounds, probes.
import { describe, expect, it } from 'vitest';
import { failureAccrual } from '../../../src/model/resilience/index.ts';
import { scripted, seeded } from './helpers.ts';

/** Fails `n` results at `now`. */
function fail(breaker: ReturnType<typeof failureAccrual>, n: number, now: number): void {
  for (let k = 0; k < n; k++) breaker.onResult(false, now);
}

describe('consecutive failure accrual', () => {
  it('seven consecutive failures open the breaker; a success in between starts the count again', () => {
    const breaker = failureAccrual({}, scripted(0));
    fail(breaker, 6, 0);
    breaker.onResult(true, 0);
    fail(breaker, 6, 0);
    expect(breaker.state(0)).toBe('closed');
    breaker.onResult(false, 0);
    expect(breaker.state(0)).toBe('open');
    expect(breaker.tryAdmit(0)).toBe(false);
  });

  it('penalties grow from 1 s doubling to 60 s, each within base + 50 % jitter and never past 60 s', () => {
    // Penalty k: base = min(2^(k−1), 60) s plus U·0.5·base, cut at 60 s: [1, 1.5), [2, 3), [4, 6), [8, 12), [16, 24),
    // [32, 48), then exactly 60 s. Every probe fails, so each penalty follows the previous one.
    const bounds = [
      [1, 1.5],
      [2, 3],
      [4, 6],
      [8, 12],
      [16, 24],
      [32, 48],
      [60, 60],
      [60, 60],
    ];
    for (let run = 0; run < 200; run++) {
      const breaker = failureAccrual({}, seeded(`accrual-${run}`));
      let now = 0;
      fail(breaker, 7, now);
      for (const [low, high] of bounds) {
        const penalty = breaker.openUntil - now;
        expect(penalty).toBeGreaterThanOrEqual(low! - 1e-9);
        expect(penalty).toBeLessThanOrEqual(high! + 1e-9);
        if (high! > low!) expect(penalty).toBeLessThan(high!);
        now = breaker.openUntil;
        expect(breaker.state(now)).toBe('half-open');
        breaker.onResult(false, now);
      }
    }
  });

  it('the jitter maps straight onto the penalty: U = 0 gives the base, U = 0.5 a quarter more', () => {
    const breaker = failureAccrual({}, scripted(0, 0.5));
    fail(breaker, 7, 0);
    expect(breaker.openUntil).toBe(1);
    breaker.onResult(false, 1);
    expect(breaker.openUntil).toBe(1 + 2.5);
  });

  it('a successful probe closes the breaker and resets the penalty schedule', () => {
    const breaker = failureAccrual({ maxFailures: 2 }, scripted(0, 0, 0, 0));
    fail(breaker, 2, 0);
    breaker.onResult(false, 1);
    breaker.onResult(false, 3);
    expect([breaker.penalties, breaker.openUntil]).toEqual([3, 7]);
    breaker.onResult(true, 7);
    expect(breaker.state(7)).toBe('closed');
    fail(breaker, 2, 8);
    expect([breaker.penalties, breaker.openUntil]).toEqual([1, 9]);
  });

  it('results that arrive while open are ignored, successes included', () => {
    const breaker = failureAccrual({ maxFailures: 1 }, scripted(0));
    breaker.onResult(false, 0);
    breaker.onResult(true, 0.5);
    breaker.onResult(false, 0.9);
    expect(breaker.state(0.99)).toBe('open');
    expect([breaker.penalties, breaker.openUntil]).toEqual([1, 1]);
  });

  it('half-open admits one probe; the first result to arrive decides', () => {
    const breaker = failureAccrual({ maxFailures: 1 }, scripted(0, 0));
    breaker.onResult(false, 0);
    expect(breaker.state(1)).toBe('half-open');
    expect(breaker.tryAdmit(1)).toBe(true);
    expect(breaker.tryAdmit(1.2)).toBe(false);
    breaker.onResult(false, 1.3);
    expect(breaker.state(1.3)).toBe('open');
    expect(breaker.tryAdmit(3.3)).toBe(true);
    breaker.onResult(true, 3.4);
    expect(breaker.state(3.4)).toBe('closed');
    expect(breaker.tryAdmit(3.4)).toBe(true);
    expect(breaker.tryAdmit(3.4)).toBe(true);
  });

  it('rejects maxFailures below 1 and a min penalty above the max', () => {
    expect(() => failureAccrual({ maxFailures: 0 }, scripted())).toThrow(RangeError);
    expect(() => failureAccrual({ minPenalty: 90 }, scripted())).toThrow(RangeError);
  });
});
