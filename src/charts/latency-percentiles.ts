// Latency percentiles (p50 … p99.9) per variant with the replication 95% CI as error bars.
// A log y axis takes over when the values span more than 20×, as tail latency usually does.
import type { TopLevelSpec } from 'vega-lite';
import type { Figure, RunOutput } from '../observe/types.ts';
import { sig, wantsLogScale } from './numbers.ts';
import { config, PLOT_WIDTH, replicationPhrase, SCHEMA, variantColor, variantNames } from './theme.ts';

const PERCENTILES = [
  { key: 'p50', label: 'p50' },
  { key: 'p90', label: 'p90' },
  { key: 'p99', label: 'p99' },
  { key: 'p999', label: 'p99.9' },
] as const;

interface Row {
  variant: string;
  percentile: string;
  mean: number;
  lo: number;
  hi: number;
}

export function latencyPercentiles(output: RunOutput): TopLevelSpec {
  const rows: Row[] = [];
  for (const variant of output.summary.variants) {
    for (const { key, label } of PERCENTILES) {
      const f: Figure = variant.metrics.latencyMs[key];
      rows.push({ variant: variant.name, percentile: label, mean: sig(f.mean), lo: sig(f.lo), hi: sig(f.hi) });
    }
  }
  const log = wantsLogScale(rows.map((r) => r.mean));
  if (log) {
    // A CI can reach below zero with few replications; a log axis cannot show that, so clip it.
    const floor = Math.min(...rows.map((r) => r.mean)) / 2;
    for (const r of rows) r.lo = Math.max(r.lo, sig(floor));
  }
  const variants = variantNames(output);
  return {
    $schema: SCHEMA,
    title: {
      text: `Latency percentiles by variant (${replicationPhrase(output)})`,
      ...(log ? { subtitle: 'log scale: the values span more than 20×' } : {}),
    },
    width: PLOT_WIDTH,
    height: 360,
    data: { values: rows },
    encoding: {
      x: {
        field: 'percentile',
        type: 'ordinal',
        sort: PERCENTILES.map((p) => p.label),
        title: 'percentile',
        axis: { labelAngle: 0, labelFontSize: 13 },
      },
      xOffset: { field: 'variant', type: 'nominal', scale: { domain: variants, paddingInner: 0.2 } },
      color: variantColor(output),
    },
    layer: [
      {
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: {
          y: { field: 'lo', type: 'quantitative' },
          y2: { field: 'hi' },
        },
      },
      {
        mark: { type: 'point', filled: true, size: 90, opacity: 1 },
        encoding: {
          y: {
            field: 'mean',
            type: 'quantitative',
            title: 'latency (ms)',
            scale: log ? { type: 'log', nice: true } : { zero: true },
          },
          tooltip: [
            { field: 'variant' },
            { field: 'percentile' },
            { field: 'mean', title: 'mean (ms)' },
            { field: 'lo', title: '95% CI low (ms)' },
            { field: 'hi', title: '95% CI high (ms)' },
          ],
        },
      },
    ],
    config,
  };
}
