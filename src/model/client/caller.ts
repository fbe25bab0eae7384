// The calling application's side of one call on one client pod: it issues RPCs with a deadline and
// completes each exactly once — with the response, or with DEADLINE_EXCEEDED when the deadline fires
// first (the late response is then dropped, as a gRPC client does).
import type { Simulation, Stream, Timer } from '../../engine/index.ts';
import { hashKey } from '../balancer/ring-hash.ts';
import type { Measure } from '../measure.ts';
import type { Probe } from '../probe.ts';
import { Req, type Rpc } from '../rpc.ts';
import { DEADLINE_EXCEEDED, type Outcome } from '../status.ts';
import type { Channel } from '../transport/channel.ts';

export interface CallerConfig {
  edge: number;
  method: string;
  /** Relative deadline in seconds, Infinity for none. */
  deadline: number;
  /** Distinct header values for consistent hashing (0: no header). */
  hashKeys: number;
  /** Headers the requests carry, each with the fraction of requests that do. */
  headers?: readonly RequestHeader[];
  /** Draws which requests carry which headers (required with `headers`). */
  headerRng?: Stream;
}

export interface RequestHeader {
  name: string;
  value: string;
  fraction: number;
}

/** The headers one request carries: one draw per header from `rng`, in the order given. */
export function drawHeaders(headers: readonly RequestHeader[], rng: Stream): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  for (const h of headers) if (rng.next() < h.fraction) (out ??= {})[h.name] = h.value;
  return out;
}

export class Caller {
  private readonly sim: Simulation;
  private readonly channel: Channel;
  private readonly probe: Probe;
  private readonly demand: Stream;
  private readonly measure: Measure;
  private readonly config: CallerConfig;
  private readonly ids: { next: number };
  private readonly expire: (call: InFlight) => void;
  /** Requests issued and not yet completed. */
  inFlight = 0;

  constructor(sim: Simulation, channel: Channel, probe: Probe, demand: Stream, measure: Measure, config: CallerConfig, ids: { next: number }) {
    this.sim = sim;
    this.channel = channel;
    this.probe = probe;
    this.demand = demand;
    this.measure = measure;
    this.config = config;
    this.ids = ids;
    // The deadline passes: the client resets the stream (the server may hear of it) and gives up.
    this.expire = (call) => {
      call.finish(DEADLINE_EXCEEDED);
      call.req.cancel();
    };
  }

  /** Issues one RPC now; `after` (if given) runs after it completes, e.g. a closed-loop user's next step. */
  issue(after?: (outcome: Outcome) => void): void {
    const now = this.sim.now;
    const demand = this.demand.uint32();
    const rpc: Rpc = {
      id: this.ids.next++,
      edge: this.config.edge,
      method: this.config.method,
      start: now,
      deadline: now + this.config.deadline,
      demand,
      counted: now >= this.measure.from && now < this.measure.to,
      // The header value comes from the request's own seed, so it costs no draw and variants stay in step.
      hashKey: this.config.hashKeys > 0 ? hashKey(`key-${demand % this.config.hashKeys}`) : undefined,
      headers: this.config.headers && drawHeaders(this.config.headers, this.config.headerRng as Stream),
    };
    const call = new InFlight(this, rpc, after);
    this.inFlight++;
    this.probe.requestIssued(rpc, now);
    if (this.config.deadline !== Number.POSITIVE_INFINITY) call.timer = this.sim.schedule(this.config.deadline, this.expire, call);
    this.channel.send(call.req, call.respond);
  }

  /** @internal */
  completed(call: InFlight, outcome: Outcome): void {
    this.inFlight--;
    this.probe.requestDone(call.rpc, outcome, this.sim.now);
    call.after?.(outcome);
  }
}

class InFlight {
  timer: Timer | undefined;
  private finished = false;
  readonly respond: (outcome: Outcome) => void;
  readonly caller: Caller;
  readonly rpc: Rpc;
  readonly req: Req;
  readonly after: ((outcome: Outcome) => void) | undefined;

  constructor(caller: Caller, rpc: Rpc, after: ((outcome: Outcome) => void) | undefined) {
    this.caller = caller;
    this.rpc = rpc;
    this.req = new Req(rpc);
    this.after = after;
    this.respond = (outcome) => this.finish(outcome);
  }

  finish(outcome: Outcome): void {
    if (this.finished) return;
    this.finished = true;
    this.timer?.cancel();
    this.caller.completed(this, outcome);
  }
}
