// What the model reports as it runs. The model only calls these; observe/ implements them, so the
// model never depends on how results are kept.
import type { Pod } from './pod/pod.ts';
import type { Rpc } from './rpc.ts';
import type { Outcome } from './status.ts';

export interface Probe {
  /** An application (a workload or a pod's handler) issued a request. */
  requestIssued(rpc: Rpc, now: number): void;
  /** The application's request finished; called exactly once per RPC. */
  requestDone(rpc: Rpc, outcome: Outcome, now: number): void;
  /** A pod took a request from its queue (or straight away): how long it waited. */
  queueWait(pod: Pod, rpc: Rpc, wait: number): void;
  /** A try left the caller's pod toward a pod of the destination (after every retry layer). */
  attempt(rpc: Rpc, now: number): void;
  /** A retry layer decided to retry (it may still be refused by a budget). */
  retry(rpc: Rpc, now: number): void;
  /** A retry was refused by a budget, throttling or a breaker. */
  retryRejected(rpc: Rpc, now: number): void;
  /** A circuit breaker refused a request (local reply UO). */
  overflow(rpc: Rpc, now: number): void;
  /**
   * The counters of one subset of `to` that L7 routes add to (asked once per proxy and subset while wiring;
   * the same object for the same pair): counted requests routed there, and those that ended OK.
   */
  subsetTally?(to: string, subset: string): SubsetTally;
}

export interface SubsetTally {
  requests: number;
  ok: number;
}

export const nullProbe: Probe = {
  requestIssued() {},
  requestDone() {},
  queueWait() {},
  attempt() {},
  retry() {},
  retryRejected() {},
  overflow() {},
};
