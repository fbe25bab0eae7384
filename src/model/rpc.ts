// One RPC as the calling application issued it, and one hop's request for it. Every hop (app →
// proxy, proxy → pod, each retry or hedge) gets its own Req: its deadline as that hop sees it
// (grpc-timeout), its attempt number, and whether the sender has given up on it (RST_STREAM). A
// receiver that cares about cancellation sets `onCancel`; a sender that gives up calls `cancel()`.
import type { Outcome } from './status.ts';

export interface Rpc {
  readonly id: number;
  /** Index of the caller→callee edge (see World.edges). */
  readonly edge: number;
  readonly method: string;
  /** Virtual time the application issued it. */
  readonly start: number;
  /** Absolute deadline (seconds), Infinity for none. */
  readonly deadline: number;
  /** Seed of this request's own random numbers: the same request needs the same work wherever it runs. */
  readonly demand: number;
  /** True when it started inside [warmup, duration): only these count in the summary. */
  readonly counted: boolean;
  /** Hash of the request header used by consistent hashing, if the call sets `hashKeys`. */
  readonly hashKey: number | undefined;
  /** Request headers routes match on (`calls[].headers`), undefined when it carries none. */
  readonly headers: Readonly<Record<string, string>> | undefined;
}

export class Req {
  readonly rpc: Rpc;
  /** Absolute deadline this hop carries (grpc-timeout), Infinity for none. */
  readonly deadline: number;
  /** 1 for the first try at this hop, 2 for the first retry, … */
  readonly attempt: number;
  cancelled = false;
  /** Set by the receiver; called once when the sender cancels. */
  onCancel: (() => void) | null = null;

  constructor(rpc: Rpc, deadline: number = rpc.deadline, attempt = 1) {
    this.rpc = rpc;
    this.deadline = deadline;
    this.attempt = attempt;
  }

  /** The sender gives up: the receiver is told once (a reset stream); its eventual answer is ignored. */
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    const hook = this.onCancel;
    this.onCancel = null;
    hook?.();
  }
}

/** Continuation-passing handler: whoever handles a request calls `done` exactly once (or not at all once cancelled). */
export type Done = (outcome: Outcome) => void;
export type Handler = (req: Req, done: Done) => void;

/** Wraps `done` so that only the first call passes through: the caller's exactly-once guard. */
export function once(done: Done): Done & { fired: boolean } {
  const guarded = ((outcome: Outcome) => {
    if (guarded.fired) return;
    guarded.fired = true;
    done(outcome);
  }) as Done & { fired: boolean };
  guarded.fired = false;
  return guarded;
}
