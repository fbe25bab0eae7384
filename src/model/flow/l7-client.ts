// Flow level, L7 (sidecars): one client proxy's connections to every pod of a destination, one per pod. Connections,
// their handshakes and their end (maxConnectionDuration, a pod leaving) are events; the RPCs between events are a rate
// spread evenly over the pods the proxy can reach, with connect-failure retries per retry-odds.ts. A connection whose
// handshake failed stays failed until a certificate or the trust bundle changes, or the pod comes back (every RPC
// routed to it meanwhile fails: the connection would be retried and fail the same way).
import type { Timer } from '../../engine/index.ts';
import type { Pod } from '../pod/pod.ts';
import type { Endpoints } from '../transport/endpoints.ts';
import { FlowClient } from './client.ts';
import type { FlowContext } from './context.ts';
import { failingHandshakeRate, retryOdds } from './retry-odds.ts';

interface Pair {
  readonly pod: Pod;
  up: boolean;
  /** Failed because of the handshake (counted as handshakes), rather than a refused or vanished pod. */
  handshakeFailed: boolean;
  /** `served` when the connection came up (what it carried since is added to the pod when it goes down). */
  mark: number;
  timer: Timer | undefined;
}

export interface L7Options {
  readonly workload: string;
  readonly edge: number;
  readonly view: Endpoints;
  /** Retries a connect failure gets, and whether they avoid hosts already tried. */
  readonly retries: number;
  readonly avoidPrevious: boolean;
  /** Seconds a connection lives (Infinity: until its pod goes). */
  readonly maxAge: number;
  /** Seconds to set up a connection (round trips and handshake). */
  readonly setup: number;
}

export class L7Client extends FlowClient {
  private readonly o: L7Options;
  private readonly pairs = new Map<Pod, Pair>();
  private down = 0;
  /** Counted RPCs served per reachable pod so far. */
  private served = 0;

  constructor(ctx: FlowContext, options: L7Options) {
    super(ctx);
    this.o = options;
    options.view.onChange((pods) => this.update(pods));
    this.update(options.view.current);
  }

  /** Whether the client holds an open connection to `pod`. */
  hasUp(pod: Pod): boolean {
    return this.pairs.get(pod)?.up === true;
  }

  protected accrue(from: number, now: number): void {
    const n = this.pairs.size;
    const requests = this.rate * (now - from);
    const odds = retryOdds(this.down, n, this.o.retries, this.o.avoidPrevious);
    this.ctx.log.flow(this.o.edge, from, now, requests, requests * odds.fail, requests * odds.attempts, n === 0 ? 'UH' : 'UF');
    const reachable = n - this.down;
    if (reachable > 0) this.served += (this.ctx.counted(from, now) * this.rate * (1 - odds.fail)) / reachable;
    if (this.down > 0 && n > 0) {
      // Each failed pod sees its share of the tries, and each try that finds no connection opens one.
      const perPod = (this.rate * odds.attempts) / n;
      let failing = 0;
      for (const p of this.pairs.values()) if (!p.up && p.handshakeFailed) failing++;
      const handshakes = failing * failingHandshakeRate(perPod, this.o.setup) * (now - from);
      if (handshakes > 0) this.ctx.identity?.record(this.o.workload, '', false, handshakes);
    }
  }

  /** Connections that failed try again (a certificate, the trust bundle or a pod's readiness changed). */
  retryFailed(pod?: Pod): void {
    for (const p of this.pairs.values()) if (!p.up && (pod === undefined || p.pod === pod)) this.open(p);
  }

  /** The pod went away (scaled down): its connection closes and, while the proxy still lists it, cannot reopen. */
  podGone(pod: Pod): void {
    const p = this.pairs.get(pod);
    if (p) this.open(p);
  }

  /** The end of the run: what every open connection carried goes to its pod. */
  finish(): void {
    this.integrate();
    for (const p of this.pairs.values()) if (p.up) this.credit(p);
  }

  private update(pods: readonly Pod[]): void {
    this.integrate();
    const next = new Set(pods);
    for (const [pod, p] of this.pairs) {
      if (next.has(pod)) continue;
      p.timer?.cancel();
      if (p.up) this.credit(p);
      else this.down--;
      this.pairs.delete(pod);
    }
    for (const pod of pods) {
      if (this.pairs.has(pod)) continue;
      const p: Pair = { pod, up: false, handshakeFailed: false, mark: 0, timer: undefined };
      this.pairs.set(pod, p);
      this.down++;
      this.open(p);
    }
  }

  private credit(p: Pair): void {
    p.pod.requests += this.served - p.mark;
  }

  /** A new connection to `p.pod`: refused, handshake failed, or up until it ages out. */
  private open(p: Pair): void {
    this.integrate();
    const wasUp = p.up;
    p.timer?.cancel();
    p.timer = undefined;
    if (this.paused) {
      if (wasUp && this.o.maxAge !== Number.POSITIVE_INFINITY) p.timer = this.sim.schedule(this.o.maxAge, () => this.open(p), undefined, true);
      return;
    }
    const pod = p.pod;
    let ok = pod.accepting && pod.live;
    p.handshakeFailed = false;
    if (ok && this.ctx.identity) {
      ok = this.ctx.identity.handshake(this.o.workload, pod.name);
      p.handshakeFailed = !ok;
    }
    this.ctx.connectionOpened();
    if (ok) {
      if (!wasUp) {
        this.down--;
        p.mark = this.served;
      }
      p.up = true;
      if (this.o.maxAge !== Number.POSITIVE_INFINITY) p.timer = this.sim.schedule(this.o.maxAge, () => this.open(p), undefined, true);
      return;
    }
    if (wasUp) {
      this.credit(p);
      this.down++;
    }
    p.up = false;
  }
}
