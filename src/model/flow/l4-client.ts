// Flow level, L4 (kube-proxy, or ambient ztunnels without a waypoint): a client's gRPC channel holds `slots`
// connections used in turn, each pinned to a pod chosen at random when it opens and living until the server's
// MAX_CONNECTION_AGE (±10 %) or until its pod goes. A connection that cannot be set up fails the RPCs that ride on
// it; at the request level each next RPC opens a new connection to another random pod, so when some pods would pass
// the handshake the slot gets through after a geometric number of failed tries (drawn here, each taking the gap to the
// next RPC plus the set-up), and when none would it stays failed until a certificate or the trust bundle changes.
import type { Stream, Timer } from '../../engine/index.ts';
import type { Pod } from '../pod/pod.ts';
import type { Endpoints } from '../transport/endpoints.ts';
import { FlowClient } from './client.ts';
import type { FlowContext } from './context.ts';

interface Slot {
  pod: Pod | undefined;
  up: boolean;
  timer: Timer | undefined;
}

export interface L4Options {
  readonly workload: string;
  readonly edge: number;
  readonly view: Endpoints;
  readonly slots: number;
  /** A connection's lifetime, drawn when it opens (Infinity: until its pod goes). */
  readonly maxAge: () => number;
  readonly setup: number;
  /** Whether connections run mTLS (ambient) or not (kube-proxy). */
  readonly mtls: boolean;
  readonly rng: Stream;
}

export class L4Client extends FlowClient {
  private readonly o: L4Options;
  private readonly slots: Slot[];

  constructor(ctx: FlowContext, options: L4Options) {
    super(ctx);
    this.o = options;
    this.slots = Array.from({ length: options.slots }, () => ({ pod: undefined, up: false, timer: undefined }));
    for (const s of this.slots) this.open(s);
  }

  hasUp(pod: Pod): boolean {
    return this.slots.some((s) => s.up && s.pod === pod);
  }

  protected accrue(from: number, now: number): void {
    const perSlot = (this.rate * (now - from)) / this.slots.length;
    const counted = (this.ctx.counted(from, now) * this.rate) / this.slots.length;
    let failed = 0;
    for (const s of this.slots) {
      if (s.up && s.pod) s.pod.requests += counted;
      else failed += perSlot;
    }
    const requests = perSlot * this.slots.length;
    this.ctx.log.flow(this.o.edge, from, now, requests, failed, requests, this.o.view.current.length === 0 ? 'UH' : 'UF');
  }

  retryFailed(pod?: Pod): void {
    for (const s of this.slots) if (!s.up && !s.timer && (pod === undefined || s.pod === pod || s.pod === undefined)) this.open(s);
  }

  podGone(pod: Pod): void {
    for (const s of this.slots) if (s.pod === pod) this.open(s);
  }

  finish(): void {
    this.integrate();
  }

  private passes(pod: Pod): boolean {
    if (!(pod.accepting && pod.live)) return false;
    return !this.o.mtls || this.ctx.identity?.verdict(this.o.workload, pod.name).ok !== false;
  }

  private connect(s: Slot, pod: Pod): boolean {
    this.ctx.connectionOpened();
    let ok = pod.accepting && pod.live;
    if (ok && this.o.mtls && this.ctx.identity) ok = this.ctx.identity.handshake(this.o.workload, pod.name);
    s.pod = pod;
    s.up = ok;
    return ok;
  }

  private open(s: Slot): void {
    this.integrate();
    s.timer?.cancel();
    s.timer = undefined;
    if (this.paused) {
      if (s.up) this.age(s);
      return;
    }
    const pods = this.o.view.current;
    if (pods.length === 0) {
      s.up = false;
      s.pod = undefined;
      return;
    }
    if (this.connect(s, pods[Math.floor(this.o.rng.next() * pods.length)] as Pod)) return this.age(s);
    const good = pods.filter((p) => this.passes(p));
    const perSlot = this.rate / this.slots.length;
    if (good.length === 0 || perSlot <= 0) return;
    // Failed tries before one lands on a pod that passes: geometric with success probability q.
    const q = good.length / pods.length;
    const extra = q >= 1 ? 0 : Math.floor(Math.log(1 - this.o.rng.next()) / Math.log(1 - q));
    if (extra > 0 && this.o.mtls) this.ctx.identity?.record(this.o.workload, '', false, extra);
    s.timer = this.sim.schedule(
      (1 + extra) * (1 / perSlot + this.o.setup),
      () => {
        s.timer = undefined;
        this.integrate();
        const now = this.o.view.current.filter((p) => this.passes(p));
        if (now.length === 0) return this.open(s);
        if (this.connect(s, now[Math.floor(this.o.rng.next() * now.length)] as Pod)) this.age(s);
      },
      undefined,
      true,
    );
  }

  private age(s: Slot): void {
    const age = this.o.maxAge();
    if (age !== Number.POSITIVE_INFINITY) s.timer = this.sim.schedule(age, () => this.open(s), undefined, true);
  }
}
