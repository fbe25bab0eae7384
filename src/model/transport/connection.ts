// An HTTP/2 connection from a client (an app's gRPC channel or a proxy worker) to one pod: it opens
// after the TCP and TLS round trips, carries up to `maxStreams` concurrent RPCs (the rest wait on the
// client), and ends by GOAWAY (server max age ±10% jitter, proxy max requests, pod going away) with
// an optional grace, or by idle timeout. RFC 9113; gRFC A9 for server connection management.
import type { Simulation, Timer } from '../../engine/index.ts';
import { type Done, Req } from '../rpc.ts';
import { DEADLINE_EXCEEDED, type Outcome, outcome, Status } from '../status.ts';

/** What a connection reaches: a pod, or a proxy that forwards (an ambient waypoint). */
export interface Target {
  handle(req: Req, done: Done, conn: Connection): void;
  /** False while the target refuses connections (a crashed pod). */
  readonly accepting: boolean;
  /** The workload identity it presents in an mTLS handshake (a pod's `service/index`). */
  readonly name?: string;
  connectionOpened(conn: Connection): void;
  connectionClosed(conn: Connection): void;
}

export interface ConnectionOptions {
  /** Seconds from opening to ready (connect round trips). */
  connectDelay: number;
  maxStreams: number;
  /** Requests after which the client drains the connection (0: unlimited). */
  maxRequests: number;
  /** Server GOAWAY after this age (already jittered), Infinity for never. */
  maxAge: number;
  /** After GOAWAY, in-flight streams get this long before a hard close. */
  grace: number;
  /** Close when idle this long. */
  idle: number;
  /** One-way delays of a request and of its response (sampled per request). */
  up: () => number;
  down: () => number;
  /** Called for every request put on the connection (attempt counting). */
  onSend?: (req: Req) => void;
  /** Called with +1 / −1 as requests start and stop waiting for the connection or a stream slot (Envoy's pending requests). */
  onPending?: (delta: number) => void;
  /** mTLS: checks both sides' certificates once the connection is set up; false fails it as a connect failure (UF). */
  handshake?: (target: Target) => boolean;
}

export interface ConnectionEvents {
  /** The connection stopped taking new streams (GOAWAY or max requests); the owner should use another. */
  draining(conn: Connection): void;
  closed(conn: Connection): void;
  /** The connection could not be set up (refused); `closed` follows. */
  failed?(conn: Connection): void;
  /** The connection is set up and takes streams. */
  connected?(conn: Connection): void;
}

/** Reset stream seen by the caller: a connection closed under it (Envoy flag UC), UNAVAILABLE to gRPC. */
export const RESET = outcome(Status.UNAVAILABLE, 'UC');
/** Streams still waiting when their connection closed: never sent, as REFUSED_STREAM (flag RS): safe to retry. */
export const REFUSED = outcome(Status.UNAVAILABLE, 'RS');
/** The caller reset the stream itself (Envoy flag LR): CANCELLED, seen only by the layers in between. */
export const LOCAL_RESET = outcome(Status.CANCELLED, 'LR');
/** The connection could not be opened (Envoy flag UF), UNAVAILABLE to gRPC. */
export const CONNECT_FAILURE = outcome(Status.UNAVAILABLE, 'UF');

class Stream {
  finished = false;
  /** The request as the server sees it (its own Req, so a reset reaches the server). */
  server: Req | undefined;
  readonly req: Req;
  readonly done: Done;
  constructor(req: Req, done: Done) {
    this.req = req;
    this.done = done;
  }
}

export class Connection {
  readonly target: Target;
  state: 'connecting' | 'ready' | 'draining' | 'closed' = 'connecting';
  /** Streams open now. */
  active = 0;
  /** Requests ever put on this connection. */
  sent = 0;
  private readonly sim: Simulation;
  private readonly options: ConnectionOptions;
  private readonly events: ConnectionEvents;
  private readonly waiting: Stream[] = [];
  private readonly open = new Set<Stream>();
  private timers: Timer[] = [];
  private idleTimer: Timer | undefined;

  constructor(sim: Simulation, target: Target, options: ConnectionOptions, events: ConnectionEvents) {
    this.sim = sim;
    this.target = target;
    this.options = options;
    this.events = events;
    target.connectionOpened(this);
    sim.schedule(options.connectDelay, () => this.ready());
  }

  /** True while it takes new streams. */
  get usable(): boolean {
    return (this.state === 'connecting' || this.state === 'ready') && (this.options.maxRequests === 0 || this.sent < this.options.maxRequests);
  }

  /** True when a new stream would have to wait for a free slot. */
  get full(): boolean {
    return this.active + this.waiting.length >= this.options.maxStreams;
  }

  send(req: Req, done: Done): void {
    this.sent++;
    this.options.onSend?.(req);
    this.idleTimer?.cancel();
    const stream = new Stream(req, done);
    req.onCancel = () => this.reset(stream);
    if (this.state === 'ready' && this.active < this.options.maxStreams) this.start(stream);
    else {
      this.waiting.push(stream);
      this.options.onPending?.(1);
    }
    if (this.options.maxRequests > 0 && this.sent === this.options.maxRequests) this.goAway(Number.POSITIVE_INFINITY);
  }

  /** Stop taking new streams; close once in-flight ones finish, or after `grace`. */
  goAway(grace = this.options.grace): void {
    if (this.state === 'draining' || this.state === 'closed') return;
    const wasConnecting = this.state === 'connecting';
    this.state = 'draining';
    this.events.draining(this);
    if (grace !== Number.POSITIVE_INFINITY) this.timers.push(this.sim.schedule(grace, () => this.close()));
    if (!wasConnecting) this.closeIfDone();
  }

  /** Hard close: in-flight and waiting streams are reset. */
  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    for (const t of this.timers) t.cancel();
    this.idleTimer?.cancel();
    this.target.connectionClosed(this);
    const reset = [...this.waiting, ...this.open];
    const neverSent = new Set(this.waiting);
    if (this.waiting.length > 0) this.options.onPending?.(-this.waiting.length);
    this.waiting.length = 0;
    this.open.clear();
    this.active = 0;
    this.events.closed(this);
    for (const s of reset) {
      s.server?.cancel();
      this.finish(s, neverSent.has(s) ? REFUSED : RESET);
    }
  }

  /**
   * The client cancelled this stream (RST_STREAM): free its slot and tell the server. The layers between
   * hear a local reset (flag LR) so their counts stay right; whoever cancelled has already answered.
   */
  private reset(stream: Stream): void {
    if (stream.finished) return;
    stream.finished = true;
    stream.req.onCancel = null;
    const waiting = this.waiting.indexOf(stream);
    if (waiting >= 0) {
      this.waiting.splice(waiting, 1);
      this.options.onPending?.(-1);
    } else if (this.open.delete(stream)) {
      this.active--;
      stream.server?.cancel();
      this.pump();
    }
    this.closeIfDone();
    stream.done(LOCAL_RESET);
  }

  private ready(): void {
    if (this.state === 'closed') return;
    // Refused, or the mTLS handshake failed (REFERENCE §6.1: checked here only, never again on this connection).
    if (!this.target.accepting || (this.options.handshake && !this.options.handshake(this.target))) {
      // Every stream waiting on it fails as a connect failure.
      const failed = [...this.waiting];
      if (failed.length > 0) this.options.onPending?.(-failed.length);
      this.waiting.length = 0;
      this.state = 'closed';
      this.target.connectionClosed(this);
      this.events.failed?.(this);
      this.events.closed(this);
      for (const s of failed) this.finish(s, CONNECT_FAILURE);
      return;
    }
    if (this.state === 'connecting') this.state = 'ready';
    this.events.connected?.(this);
    if (this.options.maxAge !== Number.POSITIVE_INFINITY) this.timers.push(this.sim.schedule(this.options.maxAge, () => this.goAway()));
    this.pump();
    this.closeIfDone();
  }

  private pump(): void {
    while (this.waiting.length > 0 && this.active < this.options.maxStreams) {
      const stream = this.waiting.shift() as Stream;
      this.options.onPending?.(-1);
      // A gRPC client never sends an RPC whose deadline has passed while it waited for a stream.
      if (stream.req.deadline <= this.sim.now) this.finish(stream, DEADLINE_EXCEEDED);
      else this.start(stream);
    }
  }

  private start(stream: Stream): void {
    this.active++;
    this.open.add(stream);
    // A zero delay hands over at once (no event), so a mesh-free model costs what it did before.
    const up = this.options.up();
    if (up > 0) this.sim.schedule(up, this.arrive, stream);
    else this.arrive(stream);
  }

  private readonly arrive = (stream: Stream): void => {
    if (stream.finished) return;
    stream.server = new Req(stream.req.rpc, stream.req.deadline);
    this.target.handle(
      stream.server,
      (result) => {
        if (stream.finished) return;
        const down = this.options.down();
        if (down > 0) this.sim.schedule(down, () => this.finish(stream, result));
        else this.finish(stream, result);
      },
      this,
    );
  };

  private finish(stream: Stream, result: Outcome): void {
    if (stream.finished) return;
    stream.finished = true;
    stream.req.onCancel = null;
    if (this.open.delete(stream)) {
      this.active--;
      this.pump();
      this.closeIfDone();
      if (this.state === 'ready' && this.active === 0 && this.waiting.length === 0 && this.options.idle !== Number.POSITIVE_INFINITY)
        this.idleTimer = this.sim.schedule(this.options.idle, () => this.goAway(0));
    }
    stream.done(result);
  }

  private closeIfDone(): void {
    if (this.state === 'draining' && this.active === 0 && this.waiting.length === 0) this.close();
  }
}
