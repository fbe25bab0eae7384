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
  /** An L7 route sent the request to a subset of `to` (once per request, before any retry). */
  routed?(rpc: Rpc, to: string, subset: string): void;
  /** A routed request's final answer from the proxy (absent when the caller gave up first). */
  routedDone?(rpc: Rpc, to: string, subset: string, outcome: Outcome): void;
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
