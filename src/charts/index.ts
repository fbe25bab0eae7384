// The chart registry: every chart meshsim draws from a run, by the file name it is written under
// (charts/<name>.{vl.json,svg,png}). Pure functions from RunOutput to a Vega-Lite spec.
import type { TopLevelSpec } from 'vega-lite';
import type { RunOutput } from '../observe/types.ts';
import { latencyPercentiles } from './latency-percentiles.ts';
import { podShare } from './pod-share.ts';
import { podUtilization } from './pod-utilization.ts';
import { timeseries } from './timeseries.ts';

export type ChartBuilder = (output: RunOutput) => TopLevelSpec;

export const charts = {
  'latency-percentiles': latencyPercentiles,
  timeseries,
  'pod-share': podShare,
  'pod-utilization': podUtilization,
} as const satisfies Record<string, ChartBuilder>;

export type ChartName = keyof typeof charts;

export const chartNames = Object.keys(charts) as ChartName[];

/** Every chart's spec for one run, in registry order. */
export function buildCharts(output: RunOutput, registry: Readonly<Record<string, ChartBuilder>> = charts): Record<string, TopLevelSpec> {
  const specs: Record<string, TopLevelSpec> = {};
  for (const [name, build] of Object.entries(registry)) specs[name] = build(output);
  return specs;
}

export { latencyPercentiles, podShare, podUtilization, timeseries };
