// Who owns connections on the client side. A channel pool is a gRPC channel's fixed set of
// connection slots, used in turn; a slot whose connection drains opens a new one, choosing its pod
// again (L4). An upstream pool is a proxy worker's connections to one pod: it opens another when
// the current one drains or, like Envoy, when it is at its stream limit.
import type { Done, Req } from '../rpc.ts';
import { outcome, Status } from '../status.ts';
import type { Connection, ConnectionEvents, Target } from './connection.ts';

/** Opens a connection to `pod` on behalf of `events`' owner. */
export type Connect = (target: Target, events: ConnectionEvents) => Connection;

/** No pod to send to (Envoy flag UH, "no healthy upstream"), UNAVAILABLE to gRPC. */
export const NO_HEALTHY_UPSTREAM = outcome(Status.UNAVAILABLE, 'UH');

const ignore: ConnectionEvents = { draining() {}, closed() {} };

export class ChannelPool {
  private readonly slots: (Connection | undefined)[];
  private next = 0;
  private readonly choose: () => Target | undefined;
  private readonly connect: Connect;
  /** Connections this pool opened. */
  opened = 0;

  constructor(slots: number, choose: () => Target | undefined, connect: Connect) {
    this.slots = new Array(slots).fill(undefined);
    this.choose = choose;
    this.connect = connect;
  }

  send(req: Req, done: Done): void {
    const i = this.next;
    this.next = (i + 1) % this.slots.length;
    let conn = this.slots[i];
    if (!conn?.usable) {
      const pod = this.choose();
      if (!pod) return done(NO_HEALTHY_UPSTREAM);
      conn = this.connect(pod, ignore);
      this.opened++;
      this.slots[i] = conn;
    }
    conn.send(req, done);
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
