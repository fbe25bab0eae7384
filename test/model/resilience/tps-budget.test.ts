// Linkerd's ServiceProfile retry budget (tower TpsBudget, from Finagle): prices, reserve, sliding window, steady states
// derived from the token rules, and the invariants of the bucket (REFERENCE §4.1, trap 13).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyBudget, type RetryBudget, tpsBudget, unlimitedBudget } from '../../../src/model/resilience/index.ts';

describe('TpsBudget prices and reserve', () => {
  it.each([
    [0.2, 1, 5, 500],
    [0.1, 1, 10, 1000],
    [0.3, 1, 3, 300],
    [1, 1, 1, 100],
    [0, 0, 1, 100],
    [2, 1000, 500, 50_000],
    [1000, 1000, 1, 100],
  ])('ratio %d: deposit %d, retry costs %d, reserve (10/s × 10 s × cost) %d', (retryRatio, deposit, withdraw, reserve) => {
    const budget = tpsBudget({ retryRatio });
    expect([budget.depositAmount, budget.withdrawAmount, budget.reserve]).toEqual([deposit, withdraw, reserve]);
    expect(budget.balance(0)).toBe(reserve);
  });

  it('the defaults are Linkerd’s: ratio 0.2, 10 retries/s, ttl 10 s in ten windows of 1 s', () => {
    const budget = tpsBudget();
    expect([budget.withdrawAmount, budget.reserve, budget.window]).toEqual([5, 500, 1]);
  });

  it('the reserve alone lets minRetriesPerSecond × ttl retries through (tower tps_reserve)', () => {
    const budget = tpsBudget({ ttl: 1, minRetriesPerSecond: 5, retryRatio: 1 });
    expect(Array.from({ length: 6 }, () => budget.tryWithdraw(0))).toEqual([true, true, true, true, true, false]);
    const linkerd = tpsBudget();
    expect(Array.from({ length: 101 }, () => linkerd.tryWithdraw(0)).filter(Boolean)).toHaveLength(100);
  });

  it('with no reserve and no deposits nothing passes (tower tps_empty); a deposit pays for 1/ratio of a retry', () => {
    expect(tpsBudget({ ttl: 1, minRetriesPerSecond: 0, retryRatio: 1 }).tryWithdraw(0)).toBe(false);
    const budget = tpsBudget({ minRetriesPerSecond: 0, retryRatio: 0.5 });
    budget.deposit(0);
    expect(budget.tryWithdraw(0)).toBe(false);
    budget.deposit(0);
    expect(budget.tryWithdraw(0)).toBe(true);
  });

  it('ttl must be 1–60 s; the ratio 0–1000; minRetriesPerSecond a non-negative integer', () => {
    expect(() => tpsBudget({ ttl: 0.5 })).toThrow(/ttl must be between 1 and 60 seconds, not 0.5/);
    expect(() => tpsBudget({ ttl: 61 })).toThrow(RangeError);
    expect(() => tpsBudget({ retryRatio: -0.1 })).toThrow(RangeError);
    expect(() => tpsBudget({ retryRatio: 1001 })).toThrow(RangeError);
    expect(() => tpsBudget({ retryRatio: 1e-7 })).toThrow(RangeError);
    expect(() => tpsBudget({ minRetriesPerSecond: 1.5 })).toThrow(RangeError);
    expect(() => tpsBudget({ minRetriesPerSecond: -1 })).toThrow(RangeError);
  });
});

describe('TpsBudget sliding window', () => {
  it('a deposit no longer counts once the ttl has passed (tower tps_leaky)', () => {
    const budget = tpsBudget({ ttl: 1, minRetriesPerSecond: 0, retryRatio: 1 });
    budget.deposit(0);
    expect(budget.tryWithdraw(3)).toBe(false);
  });

  it('deposits still count 0.9 s later and expire slot by slot (tower tps_slots)', () => {
    const budget = tpsBudget({ ttl: 1, minRetriesPerSecond: 0, retryRatio: 0.5 });
    budget.deposit(0);
    budget.deposit(0);
    expect(budget.tryWithdraw(0.901)).toBe(true);
    // A blank slate two seconds later; then deposits at +0, +0.301 and +1.102 s: the first has expired, the other
    // two together pay for one retry.
    budget.deposit(2.902);
    budget.deposit(3.203);
    budget.deposit(4.004);
    expect(budget.tryWithdraw(4.004)).toBe(true);
  });

  it('a withdrawal at the start of a window counts until ten more windows have rolled over, i.e. eleven windows', () => {
    // Reserve 10 (1/s × 10 s × 1). Spent at t = 0; the window rolls over at every whole second because a call comes
    // then. The slot holding −10 is overwritten at the roll-over at t = 11, not at t = 10.
    const budget = tpsBudget({ minRetriesPerSecond: 1, retryRatio: 1 });
    for (let k = 0; k < 10; k++) expect(budget.tryWithdraw(0)).toBe(true);
    for (let t = 1; t <= 10; t++) expect(budget.tryWithdraw(t)).toBe(false);
    expect(budget.tryWithdraw(10.999)).toBe(false);
    expect(budget.tryWithdraw(11)).toBe(true);
  });

  it('deposits that expire before the withdrawals they paid for leave the balance negative until those expire too', () => {
    // ttl 1 s, windows of 0.1 s, no reserve. Five deposits at 0 pay for five retries at 0.5; at 1.05 the deposits'
    // slot is cleared but the withdrawals' slot is not: balance −5, and a fresh deposit does not pay for a retry; at
    // 1.6 the withdrawals' slot is gone too and that deposit does.
    const budget = tpsBudget({ ttl: 1, minRetriesPerSecond: 0, retryRatio: 1 });
    for (let k = 0; k < 5; k++) budget.deposit(0);
    for (let k = 0; k < 5; k++) expect(budget.tryWithdraw(0.5)).toBe(true);
    expect(budget.balance(0.5)).toBe(0);
    expect(budget.balance(1.05)).toBe(-5);
    budget.deposit(1.05);
    expect(budget.tryWithdraw(1.05)).toBe(false);
    expect(budget.balance(1.6)).toBe(1);
    expect(budget.tryWithdraw(1.6)).toBe(true);
  });
});

/**
 * 100 responses/s for 60 s, at t = i/100. `fails(i)` says whether response i is a failure. A success deposits; a
 * failure asks to withdraw and, if that passes, is retried (the retry's own response is one of the later responses:
 * the stream counts responses, first attempts and retries alike). Returns the retry times.
 */
function drive(budget: RetryBudget, fails: (i: number) => boolean): number[] {
  const retries: number[] = [];
  for (let i = 0; i < 6000; i++) {
    const t = i / 100;
    if (!fails(i)) budget.deposit(t);
    else if (budget.tryWithdraw(t)) retries.push(t);
  }
  return retries;
}

describe('TpsBudget steady state, ratio 0.2, 10/s, ttl 10 s, 100 responses/s', () => {
  it('at 10 % failures every wanted retry passes: 10 retries/s', () => {
    // Supply: 90 deposits/s worth 1 token each, plus the 500-token reserve. Demand: 10 retries/s at 5 tokens = 50/s.
    // Over any 10–11 s of history the balance is at least 500 + 90·10 − 50·11 > 5, so no withdrawal ever fails.
    const retries = drive(tpsBudget(), (i) => i % 10 === 9);
    expect(retries).toHaveLength(600);
  });

  it('at 100 % failures only the reserve remains: 100 retries per 11 s, 10 retries/s over the first 60 s', () => {
    // No deposits at all. The reserve buys 500 / 5 = 100 retries, all taken in the first second of a cycle; they count
    // until the roll-over ten windows after theirs, i.e. 11 s after the burst began. Bursts of 100 at t = 0, 11, 22,
    // 33, 44, 55: 600 in 60 s = 10/s (9.1/s in the long run).
    const retries = drive(tpsBudget(), () => true);
    expect(retries).toHaveLength(600);
    for (const start of [0, 11, 22, 33, 44, 55]) expect(retries.filter((t) => t >= start && t < start + 1)).toHaveLength(100);
  });

  it('at 50 % failures the budget binds: 20 % of the 50 deposits/s plus the reserve’s 10/s', () => {
    // Each 11-window cycle can spend the reserve (500) plus the deposits made in it (50/s × 11 s = 550): 1050 tokens,
    // 210 retries — 19.1/s, against 50/s wanted. Five whole cycles fit in the first 55 s.
    const retries = drive(tpsBudget(), (i) => i % 2 === 1);
    expect(retries.filter((t) => t < 55)).toHaveLength(5 * 210);
  });
});

describe('TpsBudget invariants', () => {
  const options = fc.record({
    retryRatio: fc.oneof(fc.constantFrom(0, 0.1, 0.2, 0.5, 1, 2.5, 1000), fc.double({ min: 1e-6, max: 1000, noNaN: true })),
    minRetriesPerSecond: fc.integer({ min: 0, max: 20 }),
    ttl: fc.double({ min: 1, max: 60, noNaN: true }),
  });
  const ops = fc.array(fc.record({ dt: fc.double({ min: 0, max: 5, noNaN: true }), deposit: fc.boolean() }), { maxLength: 300 });

  it('a withdrawal succeeds exactly when the balance covers its price, and never takes the balance below zero', () => {
    fc.assert(
      fc.property(options, ops, (o, steps) => {
        const budget = tpsBudget(o);
        let now = 0;
        for (const { dt, deposit } of steps) {
          now += dt * budget.window;
          const before = budget.balance(now);
          if (deposit) {
            budget.deposit(now);
            expect(budget.balance(now)).toBe(before + budget.depositAmount);
          } else {
            const ok = budget.tryWithdraw(now);
            expect(ok).toBe(before >= budget.withdrawAmount);
            expect(budget.balance(now)).toBe(ok ? before - budget.withdrawAmount : before);
            expect(budget.balance(now)).toBeGreaterThanOrEqual(ok ? 0 : Math.min(before, 0));
          }
        }
      }),
    );
  });

  it('without deposits the balance never goes negative and never exceeds the reserve', () => {
    fc.assert(
      fc.property(options, ops, (o, steps) => {
        const budget = tpsBudget(o);
        let now = 0;
        for (const { dt } of steps) {
          now += dt * budget.window;
          budget.tryWithdraw(now);
          expect(budget.balance(now)).toBeGreaterThanOrEqual(0);
          expect(budget.balance(now)).toBeLessThanOrEqual(budget.reserve);
        }
      }),
    );
  });

  it('reading the balance changes nothing', () => {
    fc.assert(
      fc.property(options, ops, (o, steps) => {
        const watched = tpsBudget(o);
        const unwatched = tpsBudget(o);
        let now = 0;
        for (const { dt, deposit } of steps) {
          now += dt * watched.window;
          watched.balance(now);
          watched.balance(now + watched.window * 3);
          if (deposit) {
            watched.deposit(now);
            unwatched.deposit(now);
          } else expect(watched.tryWithdraw(now)).toBe(unwatched.tryWithdraw(now));
        }
      }),
    );
  });
});

describe('always-full and always-empty budgets (Finagle)', () => {
  it('unlimitedBudget passes every retry; emptyBudget none', () => {
    expect(drive(unlimitedBudget, () => true)).toHaveLength(6000);
    expect(drive(emptyBudget, () => true)).toHaveLength(0);
    expect(emptyBudget.balance(0)).toBe(0);
  });
});
