// Plans a study: every variant × every replication, each with its seed. All variants of one
// replication share a seed, so they see the same arrivals and demands (common random numbers).
import { replicationSeed } from '../engine/index.ts';
import type { Scenario } from '../scenario/schema.ts';

export interface RunSpec {
  /** Position in the plan; results are reported in this order whatever order they finish in. */
  index: number;
  variant: string;
  variantIndex: number;
  replication: number;
  seed: number;
  scenario: Scenario;
}

export interface PlanOptions {
  seed?: number;
  replications?: number;
}

export function plan(variants: readonly { name: string; scenario: Scenario }[], options: PlanOptions = {}): RunSpec[] {
  const specs: RunSpec[] = [];
  const base = variants[0]?.scenario;
  if (!base) return specs;
  const seed = options.seed ?? base.seed;
  const replications = options.replications ?? base.replications;
  for (let r = 0; r < replications; r++) {
    variants.forEach((v, vi) => {
      specs.push({ index: specs.length, variant: v.name, variantIndex: vi, replication: r, seed: replicationSeed(seed, r), scenario: v.scenario });
    });
  }
  return specs;
}
