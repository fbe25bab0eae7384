// Who owns connections on the client side. A channel pool is a gRPC channel's fixed set of
// connection slots, used in turn; a slot whose connection drains opens a new one, choosing its pod
// again (L4). An upstream pool is a proxy worker's connections to one pod: it opens another when
// the current one drains or, like Envoy, when it is at its stream limit.
import type { Rng, Simulation } from '../../engine/index.ts';
import type { Done, Req } from '../rpc.ts';
import { outcome, Status } from '../status.ts';
import { CONNECT_FAILURE, type Connection, type ConnectionEvents, type Target } from './connection.ts';

/** Opens a connection to `pod` on behalf of `events`' owner. */
export type Connect = (target: Target, events: ConnectionEvents) => Connection;

/** No pod to send to (Envoy flag UH, "no healthy upstream"), UNAVAILABLE to gRPC. */
export const NO_HEALTHY_UPSTREAM = outcome(Status.UNAVAILABLE, 'UH');

const ignore: ConnectionEvents = { draining() {}, closed() {} };

/** gRPC connection backoff (grpc/grpc doc/connection-backoff.md): seconds, growth per failure, ± jitter, cap. */
export const GRPC_CONNECT_BACKOFF = { initial: 1, multiplier: 1.6, jitter: 0.2, max: 120 } as const;

/** What a gRPC channel needs to back off between failed connects: the clock and a stream for the jitter. */
export interface Reconnect {
  readonly sim: Simulation;
  readonly rng: Rng;
}

class Slot {
  conn: Connection | undefined;
  /** Failed connects in a row (0 once a connection is set up). */
  failures = 0;
  backoff = 0;
  /** The current attempt's deadline: the next attempt may start then at the earliest. */
  deadline = 0;
  /** Until when the slot is in TRANSIENT_FAILURE: RPCs fail at once. */
  retryAt = 0;
  readonly events: ConnectionEvents = {
    draining() {},
    closed() {},
    failed: () => {
      this.failures++;
      this.retryAt = this.deadline;
    },
    connected: () => {
      this.failures = 0;
      this.retryAt = 0;
    },
  };
}

export class ChannelPool {
  private readonly slots: Slot[];
  private next = 0;
  private readonly choose: () => Target | undefined;
  private readonly connect: Connect;
  private readonly reconnect: Reconnect | undefined;
  /** Connections this pool opened. */
  opened = 0;

  /**
   * With `reconnect`, a slot whose connect failed waits out gRPC's connection backoff (first retry 1 s after the
   * failed attempt began, then ×1.6 ± 20 %, at most 120 s): meanwhile its RPCs fail at once with UNAVAILABLE, as a
   * channel in TRANSIENT_FAILURE fails RPCs that are not wait-for-ready. A connection that was set up and later lost
   * reconnects at once (the subchannel goes IDLE, not into backoff).
   */
  constructor(slots: number, choose: () => Target | undefined, connect: Connect, reconnect?: Reconnect) {
    this.slots = Array.from({ length: slots }, () => new Slot());
    this.choose = choose;
    this.connect = connect;
    this.reconnect = reconnect;
  }

  send(req: Req, done: Done): void {
    const i = this.next;
    this.next = (i + 1) % this.slots.length;
    const slot = this.slots[i] as Slot;
    let conn = slot.conn;
    if (!conn?.usable) {
      const r = this.reconnect;
      if (r && r.sim.now < slot.retryAt) return done(CONNECT_FAILURE);
      const pod = this.choose();
      if (!pod) return done(NO_HEALTHY_UPSTREAM);
      if (r) this.startAttempt(slot, r);
      conn = this.connect(pod, r ? slot.events : ignore);
      this.opened++;
      slot.conn = conn;
    }
    conn.send(req, done);
  }

  /** gRPC's ConnectWithBackoff: the attempt's deadline is fixed when it starts. */
  private startAttempt(slot: Slot, r: Reconnect): void {
    const b = GRPC_CONNECT_BACKOFF;
    if (slot.failures === 0) {
      slot.backoff = b.initial;
      slot.deadline = r.sim.now + b.initial;
    } else {
      slot.backoff = Math.min(slot.backoff * b.multiplier, b.max);
      slot.deadline = r.sim.now + slot.backoff * (1 + b.jitter * (2 * r.rng.next() - 1));
    }
  }
}

export class UpstreamPool {
  private current: Connection | undefined;
  private readonly target: Target;
  private readonly connect: Connect;
  /** Envoy opens another connection when one is at its stream limit. */
  private readonly openWhenFull: boolean;
  /** True when the cluster is at `maxConnections`: a full connection is then reused rather than a new one opened. */
  private readonly atLimit: () => boolean;
  opened = 0;

  constructor(target: Target, connect: Connect, openWhenFull: boolean, atLimit: () => boolean = () => false) {
    this.target = target;
    this.connect = connect;
    this.openWhenFull = openWhenFull;
    this.atLimit = atLimit;
  }

  send(req: Req, done: Done): void {
    let conn = this.current;
    // Envoy keeps at least one connection per host even past max_connections (REFERENCE §2.5).
    if (!conn?.usable || (this.openWhenFull && conn.full && !this.atLimit())) {
      conn = this.connect(this.target, ignore);
      this.opened++;
      this.current = conn;
    }
    conn.send(req, done);
  }

  /** Stops using the current connection: it gets a GOAWAY, its streams finish, the next request opens a new one. */
  drain(): void {
    this.current?.goAway();
    this.current = undefined;
  }
}
