// Worker-thread entry for parallel replications (piscina): one RunSpec in, one RunResult out.
import type { RunResult } from '../observe/run-result.ts';
import type { RunSpec } from './plan.ts';
import { RunAborted, runOne } from './run-one.ts';

export default function run(spec: RunSpec): RunResult | { aborted: string } {
  try {
    return runOne(spec);
  } catch (e) {
    if (e instanceof RunAborted) return { aborted: e.message };
    throw e;
  }
}
