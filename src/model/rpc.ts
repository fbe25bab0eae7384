// One RPC as the calling application issued it. Attempts, hedges and hops added by proxies later
// refer back to it; the request's own random numbers (its demand) come from `demand`.

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
}

/** Continuation-passing handler: whoever handles an RPC calls `done` exactly once. */
export type Done = (outcome: import('./status.ts').Outcome) => void;
export type Handler = (rpc: Rpc, done: Done) => void;
