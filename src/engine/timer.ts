// A scheduled callback. Cancelling is O(1): the timer is marked dead and skipped when it reaches the
// head of the queue; the queue compacts itself when dead timers pile up, so memory tracks live work.

export interface TimerOwner {
  /** A live timer was cancelled. */
  cancelled(daemon: boolean): void;
  /** A live timer fired. */
  fired(daemon: boolean): void;
}

export class Timer {
  readonly time: number;
  readonly seq: number;
  action: ((arg: unknown) => void) | null;
  readonly arg: unknown;
  readonly daemon: boolean;
  private readonly owner: TimerOwner;

  constructor(time: number, seq: number, action: ((arg: unknown) => void) | null, arg: unknown, daemon: boolean, owner: TimerOwner) {
    this.time = time;
    this.seq = seq;
    this.action = action;
    this.arg = arg;
    this.daemon = daemon;
    this.owner = owner;
  }

  /** True until the timer fires or is cancelled. */
  get active(): boolean {
    return this.action !== null;
  }

  /** Prevents the action from running. Safe to call more than once, or after it ran. */
  cancel(): void {
    if (this.action === null) return;
    this.action = null;
    this.owner.cancelled(this.daemon);
  }

  /** Marks the timer as run (the kernel calls the action itself). */
  fire(): void {
    this.action = null;
    this.owner.fired(this.daemon);
  }
}
