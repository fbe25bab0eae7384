// Per-pod heatmaps over time, one panel per variant: a row per pod (service/index), a column per
// time bin, colour from dark (idle) to bright (busy). Grey is a pod that was not running (not yet
// created by a scale event, or already gone). pod-utilization-heatmap shows worker utilization;
// connections-over-time the open connections into each pod, which is what an L4 balancer balances.
import type { TopLevelSpec } from 'vega-lite';
import type { RunOutput } from '../observe/types.ts';
import { sig } from './numbers.ts';
import { type Heatmap, podHeatmap, podLabel, podOrder } from './pod-data.ts';
import { config, PLOT_WIDTH, replicationPhrase, SCHEMA, variantFacet } from './theme.ts';

/** The view colour behind the cells: what a pod that was not running looks like. */
const NOT_RUNNING = '#d9d9d9';

interface HeatmapOptions {
  title: string;
  /** What the colour shows, completed by "each 1 s window". */
  what: string;
  legendTitle: string;
  /** The colour domain: fixed, or [0, the largest value]. */
  domain: [number, number];
  format: string;
  legendValues: number[];
  tooltipFormat: string;
  scheme: 'inferno' | 'viridis';
}

/** Row height in px: 20 for a handful of pods, down to 6 for 50. */
export function rowHeight(pods: number): number {
  return Math.max(6, Math.min(20, Math.floor(300 / Math.max(1, pods))));
}

/**
 * True when some pod was idle (under 1% of a 1/pods share) in some replications but not in all:
 * which pods an L4 balancer leaves idle is luck of the draw, and a mean over replications blurs it.
 */
export function idlePodsVary(output: RunOutput): boolean {
  const idle = new Map<string, { idle: number; runs: number }>();
  const pods = new Map<string, number>();
  for (const r of output.tables.pods) {
    const key = `${r.variant}\u0000${r.replication}\u0000${r.service}`;
    pods.set(key, (pods.get(key) ?? 0) + 1);
  }
  for (const r of output.tables.pods) {
    const n = pods.get(`${r.variant}\u0000${r.replication}\u0000${r.service}`) ?? 1;
    const key = `${r.variant}\u0000${podLabel(r)}`;
    const c = idle.get(key) ?? { idle: 0, runs: 0 };
    c.runs += 1;
    if (r.share < 0.01 / n) c.idle += 1;
    idle.set(key, c);
  }
  return [...idle.values()].some((c) => c.idle > 0 && c.idle < c.runs);
}

function heatmapSpec(output: RunOutput, map: Heatmap, o: HeatmapOptions): TopLevelSpec {
  const present = new Set(map.cells.map((c) => c.pod));
  const order = podOrder(output).filter((p) => present.has(p));
  const step = rowHeight(order.length);
  const columns = map.bin > map.window ? `, averaged into ${sig(map.bin)} s columns` : '';
  // A square-root colour scale: a lightly loaded pod already stands out from an idle (black) one.
  const scale = { type: 'sqrt' as const, domain: o.domain, scheme: o.scheme, clamp: true, nice: false };
  return {
    $schema: SCHEMA,
    title: {
      text: `${o.title} (${replicationPhrase(output, false)})`,
      subtitle: [
        `colour: ${o.what} each ${sig(map.window)} s window${columns}`,
        'grey: pod not running (before a scale-out or after a scale-in)',
        ...(idlePodsVary(output) ? ['which pods sit idle differs between replications; the mean blends them (pod-share ranks pods per replication)'] : []),
      ],
    },
    data: { values: map.cells },
    facet: variantFacet(output),
    spacing: 16,
    spec: {
      width: PLOT_WIDTH,
      height: { step },
      // Half a pixel of overlap closes the hairline seams anti-aliasing leaves between neighbouring cells.
      mark: { type: 'rect', x2Offset: 0.5 },
      encoding: {
        x: {
          field: 't',
          type: 'quantitative',
          title: 'simulated time (s)',
          scale: { domain: [map.from, map.to], nice: false, zero: false },
          axis: { labelOverlap: true, labelSeparation: 8, grid: false },
        },
        x2: { field: 't2' },
        y: {
          field: 'pod',
          type: 'ordinal',
          sort: order,
          scale: { domain: order, paddingInner: 0 },
          title: 'pod (service/index)',
          axis: { labelFontSize: step >= 12 ? 12 : 10, labelOverlap: 'parity', ticks: false, domain: false },
        },
        color: {
          field: 'value',
          type: 'quantitative',
          title: o.legendTitle,
          scale,
          legend: {
            type: 'gradient',
            format: o.format,
            orient: 'right',
            gradientLength: Math.min(220, Math.max(120, step * order.length)),
            direction: 'vertical',
            values: o.legendValues,
          },
        },
        tooltip: [
          { field: 'variant' },
          { field: 'pod' },
          { field: 't', title: 'from (s)' },
          { field: 't2', title: 'to (s)' },
          { field: 'value', title: o.legendTitle, format: o.tooltipFormat },
        ],
      },
    },
    config: { ...config, view: { ...config.view, fill: NOT_RUNNING } },
  };
}

/** Legend values for counts 0…max: 0, 1 and about four evenly spaced whole numbers up to max. */
export function countTicks(max: number): number[] {
  const raw = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude);
  const ticks = new Set([0, 1]);
  for (let v = step; v <= max; v += step) ticks.add(v);
  ticks.add(max);
  return [...ticks].filter((v) => v <= max).sort((a, b) => a - b);
}

export function podUtilizationHeatmap(output: RunOutput): TopLevelSpec | undefined {
  const map = podHeatmap(output, 'utilization');
  if (!map) return undefined;
  return heatmapSpec(output, map, {
    title: 'Utilization of every pod over time, by variant',
    what: 'busy worker time over workers in',
    legendTitle: 'utilization (%)',
    domain: [0, 1],
    format: '.0%',
    legendValues: [0, 0.05, 0.2, 0.4, 0.6, 0.8, 1],
    tooltipFormat: '.1%',
    scheme: 'inferno',
  });
}

export function connectionsOverTime(output: RunOutput): TopLevelSpec | undefined {
  const map = podHeatmap(output, 'connections');
  if (!map || !output.tables.podTimeseries.some((r) => r.connections > 0)) return undefined;
  const max = Math.max(1, Math.ceil(map.cells.reduce((m, c) => Math.max(m, c.value), 0)));
  return heatmapSpec(output, map, {
    title: 'Open connections into every pod over time, by variant',
    what: 'connections open at the end of',
    legendTitle: 'open connections',
    domain: [0, max],
    format: '~g',
    legendValues: countTicks(max),
    tooltipFormat: '.2~f',
    scheme: 'viridis',
  });
}
