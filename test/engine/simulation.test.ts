// The kernel's contract: events run in (time, scheduling order), cancelled timers never run,
// periodic and daemon timers behave, and the event budget stops a runaway run.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventBudgetExceeded, Simulation, type Timer } from '../../src/engine/index.ts';

describe('event queue order', () => {
  it('runs events in time order, ties in the order they were scheduled (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 300 }), (times) => {
        const sim = new Simulation();
        const ran: { t: number; i: number }[] = [];
        times.forEach((t, i) => {
          sim.schedule(t, () => ran.push({ t: sim.now, i }));
        });
        sim.run();
        const expected = times.map((t, i) => ({ t, i })).sort((a, b) => a.t - b.t || a.i - b.i);
        expect(ran).toEqual(expected);
      }),
    );
  });

  it('events scheduled while running keep the same order rules', () => {
    const sim = new Simulation();
    const log: string[] = [];
    sim.schedule(1, () => {
      log.push('a');
      sim.schedule(0, () => log.push('c'));
      sim.schedule(1, () => log.push('e'));
    });
    sim.schedule(1, () => log.push('b'));
    sim.schedule(2, () => log.push('d'));
    sim.run();
    expect(log).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(sim.now).toBe(2);
  });

  it('never runs an event in the past', () => {
    const sim = new Simulation();
    let at = -1;
    sim.schedule(5, () => sim.at(1, () => (at = sim.now)));
    sim.run();
    expect(at).toBe(5);
  });
});

describe('cancellation', () => {
  it('cancelled timers never run, the rest run in order (property, with heap compaction)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: 0, max: 100, noNaN: true }), fc.boolean()), { minLength: 1, maxLength: 3000 }), (items) => {
        const sim = new Simulation();
        const ran: number[] = [];
        const timers: Timer[] = items.map(([t], i) => sim.schedule(t, () => ran.push(i)));
        items.forEach(([, cancel], i) => {
          if (cancel) (timers[i] as Timer).cancel();
        });
        sim.run();
        const expected = items
          .map(([t, cancel], i) => ({ t, cancel, i }))
          .filter((x) => !x.cancel)
          .sort((a, b) => a.t - b.t || a.i - b.i)
          .map((x) => x.i);
        expect(ran).toEqual(expected);
        expect(sim.pending).toBe(0);
      }),
      { numRuns: 50 },
    );
  });

  it('cancelling twice, or after the timer ran, is harmless', () => {
    const sim = new Simulation();
    let n = 0;
    const t = sim.schedule(1, () => n++);
    sim.run();
    t.cancel();
    t.cancel();
    const u = sim.schedule(1, () => n++);
    u.cancel();
    u.cancel();
    sim.run();
    expect(n).toBe(1);
    expect(sim.pending).toBe(0);
  });

  it('a timer can cancel another due at the same instant', () => {
    const sim = new Simulation();
    let ran = false;
    let other: Timer | undefined;
    sim.schedule(1, () => other?.cancel());
    other = sim.schedule(1, () => (ran = true));
    sim.run();
    expect(ran).toBe(false);
  });
});

describe('periodic and daemon timers', () => {
  it('a periodic timer fires every period until cancelled', () => {
    const sim = new Simulation();
    const ticks: number[] = [];
    const p = sim.every(2, () => ticks.push(sim.now), 1, false);
    sim.schedule(7.5, () => p.cancel());
    sim.run();
    expect(ticks).toEqual([1, 3, 5, 7]);
  });

  it('daemon timers alone do not keep a run alive', () => {
    const sim = new Simulation();
    const ticks: number[] = [];
    sim.every(1, () => ticks.push(sim.now));
    sim.schedule(3.5, () => {});
    sim.run();
    expect(ticks).toEqual([1, 2, 3]);
    expect(sim.now).toBe(3.5);
  });

  it('run(until) stops at the horizon and can be resumed', () => {
    const sim = new Simulation();
    const log: number[] = [];
    for (const t of [1, 2, 3, 4]) sim.schedule(t, () => log.push(t));
    sim.run(2.5);
    expect(log).toEqual([1, 2]);
    expect(sim.now).toBe(2.5);
    sim.run();
    expect(log).toEqual([1, 2, 3, 4]);
  });
});

describe('event budget', () => {
  it('a run that exceeds its budget stops with EventBudgetExceeded', () => {
    const sim = new Simulation(1000);
    const forever = () => sim.schedule(1, forever);
    forever();
    expect(() => sim.run()).toThrow(EventBudgetExceeded);
    expect(sim.events).toBe(1001);
  });
});
