// A built, runnable model: the simulation, its pods by service, and its caller→callee edges.
import type { Simulation } from '../engine/index.ts';
import type { Caller } from './client/caller.ts';
import type { Measure } from './measure.ts';
import type { Pod } from './pod/pod.ts';

export interface Edge {
  readonly index: number;
  readonly from: string;
  readonly to: string;
  readonly method: string;
}

export interface World {
  readonly sim: Simulation;
  readonly measure: Measure;
  /** Pods of every service that serves calls, by service name, in index order. */
  readonly pods: ReadonlyMap<string, readonly Pod[]>;
  readonly edges: readonly Edge[];
  readonly callers: readonly Caller[];
  /** Time after which no new request starts. */
  readonly end: number;
}
