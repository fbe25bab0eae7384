// What the L4 and L7 flow clients share: a rate of RPCs that holds between events, the instant up to which it has
// been integrated, and the pause of a request window (the request level carries the client's RPCs meanwhile).
import type { Simulation } from '../../engine/index.ts';
import type { Pod } from '../pod/pod.ts';
import type { FlowContext } from './context.ts';

export abstract class FlowClient {
  protected readonly ctx: FlowContext;
  protected readonly sim: Simulation;
  /** RPCs per second this client sends now. */
  protected rate = 0;
  protected paused = false;
  private last = 0;

  constructor(ctx: FlowContext) {
    this.ctx = ctx;
    this.sim = ctx.sim;
  }

  /** The client's rate changes from now on. */
  setRate(rate: number): void {
    this.integrate();
    this.rate = rate;
  }

  /**
   * A request window: the request level carries this client's RPCs meanwhile, inheriting its open connections, so
   * the flow level freezes (no reconnects, no handshakes) and resumes afterwards, retrying what had failed.
   */
  setPaused(paused: boolean): void {
    this.integrate();
    this.paused = paused;
    if (!paused) this.retryFailed();
  }

  /** Brings the counts up to now (called at every window boundary and before every change). */
  integrate(): void {
    const now = this.sim.now;
    const from = this.last;
    if (!(now > from)) return;
    this.last = now;
    if (this.rate > 0) this.accrue(from, now);
  }

  /** Whether the client holds an open connection to `pod`. */
  abstract hasUp(pod: Pod): boolean;
  /** Connections that failed try again (a certificate, the trust bundle or a pod's readiness changed). */
  abstract retryFailed(pod?: Pod): void;
  /** The pod went away: its connections close. */
  abstract podGone(pod: Pod): void;
  /** The end of the run. */
  abstract finish(): void;
  /** Counts the RPCs of [from, now) at the current rate (> 0) and state. */
  protected abstract accrue(from: number, now: number): void;
}
