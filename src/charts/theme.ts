// The look every meshsim chart shares: font sizes legible in a 2× PNG, the colour-blind-safe
// tableau10 palette with one fixed colour per variant, and the phrases titles use.
import type { Config } from 'vega-lite';
import type { RunOutput } from '../observe/types.ts';

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Plot area width in px; with axes and legends a chart stays within ~800 px. */
export const PLOT_WIDTH = 640;

export const config: Config = {
  background: 'white',
  padding: 12,
  title: { fontSize: 16, subtitleFontSize: 13, subtitleColor: '#555', anchor: 'start', offset: 14 },
  axis: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: 'normal', titlePadding: 8, gridColor: '#e6e6e6' },
  legend: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: 'normal', symbolSize: 120 },
  header: { labelFontSize: 13, labelFontWeight: 'bold', titleFontSize: 13 },
  view: { stroke: '#cccccc' },
  range: { category: { scheme: 'tableau10' } },
};

/** Variant names in summary order: the colour domain, so a variant keeps its colour in every chart. */
export function variantNames(output: RunOutput): string[] {
  return output.summary.variants.map((v) => v.name);
}

/** The colour encoding for variants, identical across charts. */
export function variantColor(output: RunOutput, legend = true) {
  return {
    field: 'variant',
    type: 'nominal' as const,
    title: 'variant',
    scale: { domain: variantNames(output), scheme: 'tableau10' },
    legend: legend ? { orient: 'right' as const } : null,
  };
}

/** "mean of 5 replications, 95% CI" or "1 replication" for titles. */
export function replicationPhrase(output: RunOutput, withCi = true): string {
  const n = output.summary.replications;
  if (n <= 1) return '1 replication';
  return withCi ? `mean of ${n} replications, 95% CI` : `mean of ${n} replications`;
}

/** Panel titles above each facet row, left-aligned. */
export const rowHeader = { labelAngle: 0, labelOrient: 'top', labelAnchor: 'start', labelPadding: 6 } as const;

/** One facet row per variant, in the scenario's order, titled by the variant's name. */
export function variantFacet(output: RunOutput) {
  return { row: { field: 'variant', type: 'nominal' as const, sort: variantNames(output), title: null, header: rowHeader } };
}

/** Rows of one `kind` in a chart whose layers share one data table with a `kind` column. */
export const ofKind = (kind: string) => [{ filter: `datum.kind === '${kind}'` }];
