// The discrete-event kernel: a virtual clock and an event queue ordered by (time, insertion order),
// so ties run in the order they were scheduled and a run is reproducible (SimPy's core, in closures).
// It knows nothing of meshes: models schedule callbacks and read `now`.
import { EventQueue } from './event-queue.ts';
import { Timer } from './timer.ts';

export type Action<A = undefined> = (arg: A) => void;

/** Thrown when a run exceeds its event budget: a bug or a runaway scenario, never a normal outcome. */
export class EventBudgetExceeded extends Error {
  readonly budget: number;
  readonly at: number;
  constructor(budget: number, at: number) {
    super(`the run exceeded its budget of ${budget.toExponential(2)} events at t=${at.toFixed(3)}s`);
    this.budget = budget;
    this.at = at;
  }
}

export class Simulation {
  /** Virtual time in seconds. */
  now = 0;
  /** Events run so far. */
  events = 0;
  private readonly queue = new EventQueue();
  private seq = 0;
  private stopped = false;
  readonly maxEvents: number;

  constructor(maxEvents = Number.POSITIVE_INFINITY) {
    this.maxEvents = maxEvents;
  }

  /** Runs `action(arg)` after `delay` seconds. Daemon timers (periodic sweeps) do not keep a run alive. */
  schedule<A>(delay: number, action: Action<A>, arg?: A, daemon = false): Timer {
    return this.at(this.now + Math.max(delay, 0), action, arg, daemon);
  }

  /** Runs `action(arg)` at absolute time `time` (never earlier than now). */
  at<A>(time: number, action: Action<A>, arg?: A, daemon = false): Timer {
    const timer = new Timer(Math.max(time, this.now), this.seq++, action as Action<unknown>, arg, daemon, this.queue);
    this.queue.push(timer);
    return timer;
  }

  /** Runs `action` every `period` seconds, first after `firstDelay` (default one period). Daemon by default. */
  every(period: number, action: () => void, firstDelay = period, daemon = true): Periodic {
    if (!(period > 0)) throw new RangeError(`period must be > 0, got ${period}`);
    return new Periodic(this, period, action, firstDelay, daemon);
  }

  /** Pending events that keep the run going (non-daemon, not cancelled). */
  get pending(): number {
    return this.queue.live;
  }

  /** Stops the current `run` after the running event. */
  stop(): void {
    this.stopped = true;
  }

  /**
   * Runs events in order until none that keeps the run alive is left, `until` is passed, or `stop()` is called.
   * Time ends at the last event run (or at `until` when the queue still held later events).
   */
  run(until = Number.POSITIVE_INFINITY): void {
    const queue = this.queue;
    this.stopped = false;
    while (queue.live > 0 && !this.stopped) {
      const timer = queue.peek() as Timer;
      if (timer.time > until) {
        this.now = until;
        return;
      }
      queue.pop();
      const action = timer.action;
      if (action === null) continue;
      timer.fire();
      this.now = timer.time;
      action(timer.arg);
      if (++this.events > this.maxEvents) throw new EventBudgetExceeded(this.maxEvents, this.now);
    }
  }
}

/** A repeating timer; `cancel()` stops it. */
export class Periodic {
  private timer: Timer;
  private cancelled = false;
  private readonly sim: Simulation;
  readonly period: number;
  private readonly action: () => void;
  private readonly daemon: boolean;

  constructor(sim: Simulation, period: number, action: () => void, firstDelay: number, daemon: boolean) {
    this.sim = sim;
    this.period = period;
    this.action = action;
    this.daemon = daemon;
    this.timer = sim.schedule(firstDelay, this.tick, this, daemon);
  }

  private tick(self: Periodic): void {
    if (self.cancelled) return;
    self.timer = self.sim.schedule(self.period, self.tick, self, self.daemon);
    self.action();
  }

  cancel(): void {
    this.cancelled = true;
    this.timer.cancel();
  }
}
