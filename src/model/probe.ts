// What the model reports as it runs. The model only calls these; observe/ implements them, so the
// model never depends on how results are kept.
import type { Pod } from './pod/pod.ts';
import type { Rpc } from './rpc.ts';
import type { Outcome } from './status.ts';

export interface Probe {
  /** The application's request finished; called exactly once per RPC. */
  requestDone(rpc: Rpc, outcome: Outcome, now: number): void;
  /** A pod took a request from its queue (or straight away): how long it waited. */
  queueWait(pod: Pod, rpc: Rpc, wait: number): void;
}

export const nullProbe: Probe = { requestDone() {}, queueWait() {} };
