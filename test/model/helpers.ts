// Shared helpers for the model tests: scenarios built in code and run as a study (summary and per-run
// results) or as a bare World with taps on the pods, and the confidence-interval rules the
// statistical checks use. The tolerance rule is the one of test/theory: a theoretical value must lie
// inside the 99% Student-t interval of the replication means.
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { buildWorld } from '../../src/model/build.ts';
import type { Pod } from '../../src/model/pod/pod.ts';
import { nullProbe, type Probe } from '../../src/model/probe.ts';
import type { Done, Req, Rpc } from '../../src/model/rpc.ts';
import type { Outcome } from '../../src/model/status.ts';
import type { Connection } from '../../src/model/transport/connection.ts';
import type { World } from '../../src/model/world.ts';
import { RunCollector } from '../../src/observe/collector.ts';
import type { RunResult } from '../../src/observe/run-result.ts';
import type { VariantSummary } from '../../src/observe/types.ts';
import { type Scenario, type ScenarioInput, scenario } from '../../src/scenario/schema.ts';
import { buildRun, drainLimit } from '../../src/study/run-one.ts';
import { runStudy } from '../../src/study/study.ts';

export { ci99, expectInCi } from '../theory/helpers.ts';

export const build = (input: ScenarioInput): Scenario => scenario.parse(input);

/** Runs every replication of `input`; the summary of its one variant and each replication's result. */
export async function study(input: ScenarioInput): Promise<{ v: VariantSummary; runs: RunResult[] }> {
  const r = await runStudy([{ name: 'base', scenario: build(input) }]);
  return { v: r.summary.variants[0]!, runs: r.runs };
}

/** Mean of independent values and the half-width of its 99% Student-t confidence interval. */
export function meanCi99(xs: readonly number[]): { mean: number; half: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { mean, half: tQuantile(0.995, n - 1) * Math.sqrt(variance / n) };
}

/** A probe that keeps every finished request with its completion time. */
export function recorder(): Probe & { done: { rpc: Rpc; at: number }[] } {
  const done: { rpc: Rpc; at: number }[] = [];
  return { ...nullProbe, done, requestDone: (rpc, _outcome, now) => done.push({ rpc, at: now }) };
}

/** Builds the World of `s` (no collector) and runs it as a study run does: arrivals until `duration`, then the drain. */
export function simulate(s: Scenario, seed: number, probe: Probe = nullProbe, before?: (world: World) => void): World {
  const world = buildWorld(s, seed, probe);
  before?.(world);
  world.sim.run(s.duration + drainLimit(s.duration));
  return world;
}

export interface Arrival {
  pod: Pod;
  rpc: Rpc;
  conn: Connection;
  at: number;
  /** Requests in the pod (in service and queued) just before this one arrived. */
  inPod: number;
}

/**
 * Taps every pod of `service`, present and future (scale-ups), before any request reaches it: `seen`
 * gets each request as it arrives, with the connection it came on.
 */
export function tapPods(world: World, service: string, seen: (a: Arrival) => void): void {
  const endpoints = world.services.get(service)!;
  const tapped = new Set<Pod>();
  const tap = (pod: Pod) => {
    if (tapped.has(pod)) return;
    tapped.add(pod);
    const handle = pod.handle.bind(pod);
    pod.handle = (req: Req, done: Done, conn?: Connection) => {
      seen({ pod, rpc: req.rpc, conn: conn as Connection, at: world.sim.now, inPod: pod.busy.value + pod.queued });
      handle(req, done);
    };
  };
  endpoints.all.forEach(tap);
  endpoints.onChange(() => endpoints.all.forEach(tap));
}

/** Wraps every pod of `service` so that `answered` hears each answer it gives (before it travels back). */
export function tapAnswers(world: World, service: string, answered: (pod: Pod, rpc: Rpc, outcome: Outcome, at: number) => void): void {
  for (const pod of world.services.get(service)?.all ?? []) {
    const handle = pod.handle.bind(pod);
    pod.handle = (req: Req, done: Done) =>
      handle(req, (o: Outcome) => {
        answered(pod, req.rpc, o, world.sim.now);
        done(o);
      });
  }
}

/** Open and close times of every connection into the pods of `service` (open ones have `closed` undefined). */
export function tapConnections(world: World, service: string): Map<Connection, { pod: Pod; opened: number; closed?: number }> {
  const log = new Map<Connection, { pod: Pod; opened: number; closed?: number }>();
  const endpoints = world.services.get(service)!;
  const tapped = new Set<Pod>();
  const tap = (pod: Pod) => {
    if (tapped.has(pod)) return;
    tapped.add(pod);
    const opened = pod.connectionOpened.bind(pod);
    const closed = pod.connectionClosed.bind(pod);
    pod.connectionOpened = (conn) => {
      log.set(conn, { pod, opened: world.sim.now });
      opened(conn);
    };
    pod.connectionClosed = (conn) => {
      const entry = log.get(conn);
      if (entry) entry.closed = world.sim.now;
      closed(conn);
    };
  };
  endpoints.all.forEach(tap);
  endpoints.onChange(() => endpoints.all.forEach(tap));
  return log;
}

/** A probe that tells `a` everything, then `b` whatever it listens for. */
export function tee(a: Probe, b: Partial<Probe>): Probe {
  return {
    requestIssued(rpc, now) {
      a.requestIssued(rpc, now);
      b.requestIssued?.(rpc, now);
    },
    requestDone(rpc, outcome, now) {
      a.requestDone(rpc, outcome, now);
      b.requestDone?.(rpc, outcome, now);
    },
    queueWait(pod, rpc, wait) {
      a.queueWait(pod, rpc, wait);
      b.queueWait?.(pod, rpc, wait);
    },
    attempt(rpc, now) {
      a.attempt(rpc, now);
      b.attempt?.(rpc, now);
    },
    retry(rpc, now) {
      a.retry(rpc, now);
      b.retry?.(rpc, now);
    },
    retryRejected(rpc, now) {
      a.retryRejected(rpc, now);
      b.retryRejected?.(rpc, now);
    },
    overflow(rpc, now) {
      a.overflow(rpc, now);
      b.overflow?.(rpc, now);
    },
  };
}

/** Runs `s` with a collector (as a study run does), after `before` has tapped the world; its result. `also` hears the probe calls too. */
export function collect(s: Scenario, before: (world: World) => void = () => {}, also: Partial<Probe> = {}): RunResult {
  const collector = new RunCollector(s.window, s.duration);
  const world = buildRun(s, s.seed, collector, tee(collector, also));
  before(world);
  world.sim.run(s.duration + drainLimit(s.duration));
  return collector.result(world, 'base', 0, s.seed);
}
