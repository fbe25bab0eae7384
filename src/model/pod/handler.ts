// A pod's handler beyond its own work: downstream calls, in order, each step one call or several in
// parallel. The worker stays held while the handler waits (a thread-per-request server). Each call
// leaves through the pod's own channel (its sidecar, or its gRPC channel), inherits the remaining
// deadline when propagation is on (gRPC context passing), and is cancelled with its parent.
import { mixSeed, Reseedable, type Simulation, type Timer } from '../../engine/index.ts';
import type { Probe } from '../probe.ts';
import { type Done, once, Req, type Rpc } from '../rpc.ts';
import { CANCELLED, DEADLINE_EXCEEDED, OK, type Outcome, outcome, Status } from '../status.ts';
import type { Channel } from '../transport/channel.ts';

export interface DownstreamSpec {
  /** The pod's channel to the callee (built on first use). */
  channel: () => Channel;
  edge: number;
  method: string;
  probability: number;
  /** Relative deadline of the call itself, Infinity for none. */
  deadline: number;
  /** Inherit the parent's remaining deadline and cancellation (gRPC context passing). */
  propagate: boolean;
  /** What a failed call does to the handler: fail with the same status, be ignored, or fail with another status. */
  onError: 'propagate' | 'ignore' | Status;
}

/** A handler: steps in order; the calls of one step run in parallel. */
export type Steps = readonly (readonly DownstreamSpec[])[];

export interface HandlerContext {
  sim: Simulation;
  probe: Probe;
  ids: { next: number };
}

const draw = new Reseedable();

/** Runs `steps` for `parent`; calls `done` once with OK or the first failure. Returns a cancel function. */
export function runHandler(ctx: HandlerContext, steps: Steps, parent: Req, done: Done): () => void {
  const inFlight = new Map<Req, { propagate: boolean; complete: Done }>();
  let cancelled = false;
  const finish = once(done);
  const runStep = (s: number): void => {
    if (cancelled) return;
    const step = steps[s];
    if (!step) return finish(OK);
    let pending = 0;
    let failure: Outcome | undefined;
    const calls = step.filter((c, i) => draw.reset(mixSeed(parent.rpc.demand, s * 64 + i)).next() < c.probability);
    if (calls.length === 0) return runStep(s + 1);
    pending = calls.length;
    calls.forEach((spec, i) => {
      call(ctx, spec, parent, s * 64 + i, inFlight, (result) => {
        if (result.status !== Status.OK && spec.onError !== 'ignore') failure ??= spec.onError === 'propagate' ? outcome(result.status) : outcome(spec.onError);
        if (--pending > 0) return;
        if (failure) finish(failure);
        else runStep(s + 1);
      });
    });
  };
  runStep(0);
  return () => {
    cancelled = true;
    // Calls made with the parent's context are cancelled with it; the others run on.
    for (const [r, { propagate, complete }] of inFlight)
      if (propagate) {
        complete(CANCELLED);
        r.cancel();
      }
    inFlight.clear();
  };
}

function call(
  ctx: HandlerContext,
  spec: DownstreamSpec,
  parent: Req,
  salt: number,
  inFlight: Map<Req, { propagate: boolean; complete: Done }>,
  done: Done,
): void {
  const { sim } = ctx;
  const now = sim.now;
  const own = now + spec.deadline;
  const deadline = spec.propagate ? Math.min(own, parent.deadline) : own;
  const rpc: Rpc = {
    id: ctx.ids.next++,
    edge: spec.edge,
    method: spec.method,
    start: now,
    deadline,
    demand: mixSeed(parent.rpc.demand, salt + 1),
    counted: parent.rpc.counted,
    hashKey: parent.rpc.hashKey,
    headers: parent.rpc.headers,
  };
  const req = new Req(rpc, deadline);
  ctx.probe.requestIssued(rpc, now);
  let timer: Timer | undefined;
  const complete = once((result: Outcome) => {
    timer?.cancel();
    inFlight.delete(req);
    ctx.probe.requestDone(rpc, result, sim.now);
    done(result);
  });
  if (deadline !== Number.POSITIVE_INFINITY)
    timer = sim.at(deadline, () => {
      complete(DEADLINE_EXCEEDED);
      req.cancel();
    });
  inFlight.set(req, { propagate: spec.propagate, complete });
  spec.channel().send(req, complete);
}
