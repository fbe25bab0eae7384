// Error rate and p99 latency over time, one row per variant (small multiples): when several variants end the same
// way (no outlier detection, a cap that refuses every ejection, errors in trailers) their lines would hide each other
// on one plot; here each has its own row. Drawn for runs with faults and at least three variants.
import type { TopLevelSpec } from 'vega-lite';
import type { RunOutput } from '../observe/types.ts';
import { hasFaults } from './edges.ts';
import { faultBands, faultLayers } from './faults.ts';
import { sig, wantsLogScale } from './numbers.ts';
import { successPoints } from './success-p99.ts';
import { config, replicationPhrase, rowHeader, SCHEMA, variantColor, variantNames } from './theme.ts';

const WIDTH = 330;
const HEIGHT = 70;

export function errorsByVariant(output: RunOutput): TopLevelSpec | undefined {
  if (!hasFaults(output) || output.summary.variants.length < 3) return undefined;
  const { points, bucket } = successPoints(output);
  if (points.length === 0) return undefined;
  const rows = points.map((p) => ({ variant: p.variant, t: p.t, errorPct: p.successPct === null ? null : sig(100 - p.successPct), p99Ms: p.p99Ms }));
  const p99s = rows.flatMap((r) => (r.p99Ms === null ? [] : [r.p99Ms]));
  const log = wantsLogScale(p99s);
  const t1 = Math.max(...rows.map((r) => r.t)) + (bucket ?? 0);
  const x = { field: 't', type: 'quantitative' as const, title: 'simulated time (s)', scale: { domain: [0, t1], nice: false } };
  const column = (field: 'errorPct' | 'p99Ms', title: string, scale: object) => ({
    width: WIDTH,
    height: HEIGHT,
    layer: [
      ...faultLayers(faultBands(output), false),
      {
        transform: [{ filter: `isValid(datum.${field})` }],
        mark: { type: 'line' as const, strokeWidth: 2, interpolate: 'step-after' as const },
        encoding: {
          x,
          y: { field, type: 'quantitative' as const, title, scale },
          color: variantColor(output, false),
          tooltip: [{ field: 'variant' }, { field: 't', title: 'window start (s)' }, { field, title }],
        },
      },
    ],
  });
  const facet = (field: 'errorPct' | 'p99Ms', title: string, scale: object) => ({
    facet: { row: { field: 'variant', type: 'nominal' as const, sort: variantNames(output), title: null, header: rowHeader } },
    spec: column(field, title, scale),
    resolve: { scale: { y: 'shared' as const } },
  });
  return {
    $schema: SCHEMA,
    title: {
      text: `Error rate and p99 latency over time, per variant (${replicationPhrase(output, false)}${bucket === null ? '' : `, ${bucket} s windows`})`,
      subtitle: [
        'error rate: requests answered with any status but OK, pooled over replications; yellow: fault windows',
        log ? 'p99 on a log scale' : '',
      ].filter((s) => s !== ''),
    },
    data: { values: rows },
    hconcat: [facet('errorPct', 'errors (%)', { zero: true }), facet('p99Ms', 'p99 (ms)', log ? { type: 'log' } : { zero: true })],
    spacing: 24,
    config,
  };
}
