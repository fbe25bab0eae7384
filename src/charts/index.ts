// The chart registry: every chart meshsim draws from a run, by the file name it is written under
// (charts/<name>.{vl.json,svg,png}), in the order the report shows them. Pure functions from
// RunOutput to a Vega-Lite spec; a builder returns undefined when the run has nothing for it to
// show (no connections, no per-pod series, no retries or faults, no retry gauges,
// no fault or scale event to follow pod by pod).
import type { TopLevelSpec } from 'vega-lite';
import type { RunOutput } from '../observe/types.ts';
import { attemptsPerRequestByTier } from './attempts-per-request.ts';
import { certificateTimeline } from './certificate-timeline.ts';
import { ejectionTimeline } from './ejection-timeline.ts';
import { errorsByVariant } from './errors-by-variant.ts';
import { csrQueueWait, validCertificatesAndErrors } from './identity-series.ts';
import { latencyP99 } from './latency-p99.ts';
import { latencyPercentiles } from './latency-percentiles.ts';
import { offeredAttemptedGoodput } from './offered-attempted-goodput.ts';
import { connectionsOverTime, podUtilizationHeatmap } from './pod-heatmaps.ts';
import { podShare } from './pod-share.ts';
import { podShareOverTime } from './pod-share-over-time.ts';
import { podUtilization } from './pod-utilization.ts';
import { retryGauges } from './retry-gauges.ts';
import { subsetShare } from './subset-share.ts';
import { successAndP99OverTime } from './success-p99.ts';
import { timeseries } from './timeseries.ts';

export type ChartBuilder = (output: RunOutput) => TopLevelSpec | undefined;

export const charts = {
  'ejection-timeline': ejectionTimeline,
  'certificate-timeline': certificateTimeline,
  'valid-certificates-and-errors': validCertificatesAndErrors,
  'csr-queue-wait': csrQueueWait,
  'offered-attempted-goodput': offeredAttemptedGoodput,
  'success-and-p99-over-time': successAndP99OverTime,
  'errors-by-variant': errorsByVariant,
  'attempts-per-request-by-tier': attemptsPerRequestByTier,
  'retry-gauges': retryGauges,
  'subset-share': subsetShare,
  'pod-share': podShare,
  'pod-share-over-time': podShareOverTime,
  'latency-p99': latencyP99,
  'pod-utilization-heatmap': podUtilizationHeatmap,
  'connections-over-time': connectionsOverTime,
  'latency-percentiles': latencyPercentiles,
  timeseries,
  'pod-utilization': podUtilization,
} as const satisfies Record<string, ChartBuilder>;

export type ChartName = keyof typeof charts;

export const chartNames = Object.keys(charts) as ChartName[];

/** Every chart's spec for one run, in registry order; charts with nothing to show are left out. */
export function buildCharts(output: RunOutput, registry: Readonly<Record<string, ChartBuilder>> = charts): Record<string, TopLevelSpec> {
  const specs: Record<string, TopLevelSpec> = {};
  for (const [name, build] of Object.entries(registry)) {
    const spec = build(output);
    if (spec !== undefined) specs[name] = spec;
  }
  return specs;
}

export {
  attemptsPerRequestByTier,
  certificateTimeline,
  connectionsOverTime,
  csrQueueWait,
  ejectionTimeline,
  errorsByVariant,
  latencyP99,
  latencyPercentiles,
  offeredAttemptedGoodput,
  podShare,
  podShareOverTime,
  podUtilization,
  podUtilizationHeatmap,
  retryGauges,
  subsetShare,
  successAndP99OverTime,
  timeseries,
  validCertificatesAndErrors,
};
