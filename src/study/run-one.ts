// Runs one planned replication of one variant: build the world, let time run until every request
// that started before the end has finished (or the drain limit passes), and collect the result.
import { EventBudgetExceeded } from '../engine/index.ts';
import { buildWorld } from '../model/build.ts';
import { buildFlowWorld } from '../model/flow/build.ts';
import type { Probe } from '../model/probe.ts';
import type { World } from '../model/world.ts';
import { RunCollector } from '../observe/collector.ts';
import type { RunResult } from '../observe/run-result.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { RunSpec } from './plan.ts';

/** A run that had to stop: the message is for the user, not a stack trace. */
export class RunAborted extends Error {}

/** After the end of arrivals, how long in-flight work may take to drain before the run is cut. */
export const drainLimit = (duration: number): number => Math.max(60, duration);

/** The World of `scenario` at its traffic resolution, reporting to `collector` (`probe`: the collector, or a tee of it). */
export function buildRun(scenario: Scenario, seed: number, collector: RunCollector, probe: Probe = collector): World {
  const world =
    scenario.traffic.mode === 'flows'
      ? buildFlowWorld(scenario, seed, probe, collector, collector.identity)
      : buildWorld(scenario, seed, probe, collector.identity);
  collector.attach(world);
  return world;
}

export function runOne(spec: RunSpec): RunResult {
  const { scenario } = spec;
  const collector = new RunCollector(scenario.window, scenario.duration);
  const world = buildRun(scenario, spec.seed, collector);
  try {
    world.sim.run(scenario.duration + drainLimit(scenario.duration));
  } catch (e) {
    if (e instanceof EventBudgetExceeded)
      throw new RunAborted(
        `${scenario.name}: variant "${spec.variant}", replication ${spec.replication + 1}: ${e.message} (maxEvents). ` +
          'Work is piling up faster than it drains: bound it with pod `queue` limits or deadlines, shorten `duration`, or raise `maxEvents`.',
      );
    throw e;
  }
  return collector.result(world, spec.variant, spec.replication, spec.seed);
}
