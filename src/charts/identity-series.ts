// Identity over time, one line per variant, each point the mean over replications of one window: the share of
// workloads holding a valid certificate above the share of requests that failed; and the CSR queue wait at the CA.
import type { TopLevelSpec } from 'vega-lite';
import type { RunOutput } from '../observe/types.ts';
import { timeUnit } from './certificate-timeline.ts';
import { FAULT_FILL, FAULT_OPACITY, faultBands } from './faults.ts';
import { meanOf, sig } from './numbers.ts';
import { config, PLOT_WIDTH, replicationPhrase, SCHEMA, variantColor, variantNames } from './theme.ts';

const PANEL_HEIGHT = 160;

/** Mean over replications of `value` per (variant, t), in variant order; nulls are left out of the mean. */
function meanBy<R extends { variant: string; t: number }>(rows: readonly R[], value: (r: R) => number | null, order: readonly string[]) {
  const groups = new Map<string, { variant: string; t: number; xs: (number | null)[] }>();
  for (const r of rows) {
    const key = `${r.variant}\u0000${r.t}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { variant: r.variant, t: r.t, xs: [] }));
    g.xs.push(value(r));
  }
  return [...groups.values()]
    .map((g) => ({ variant: g.variant, t: g.t, value: meanOf(g.xs) }))
    .sort((a, b) => order.indexOf(a.variant) - order.indexOf(b.variant) || a.t - b.t);
}

function bandLayer(output: RunOutput, div: number) {
  const bands = faultBands(output).map((b) => ({ from: b.from / div, to: b.to / div }));
  if (bands.length === 0) return [];
  return [
    {
      data: { values: bands },
      mark: { type: 'rect' as const, color: FAULT_FILL, opacity: FAULT_OPACITY },
      encoding: { x: { field: 'from', type: 'quantitative' as const }, x2: { field: 'to' } },
    },
  ];
}

export function validCertificatesAndErrors(output: RunOutput): TopLevelSpec | undefined {
  const rows = output.tables.identityTimeseries;
  // Nothing to show while every workload held a valid certificate and no handshake failed.
  if (!rows.some((r) => r.validFraction < 1 || r.handshakeFailures > 0)) return undefined;
  const order = variantNames(output);
  const { div, name: unit } = timeUnit(output.summary.duration);
  const valid = meanBy(rows, (r) => r.validFraction, order).map((p) => ({ ...p, t: sig(p.t / div, 6), panel: 'valid', value: sig(p.value ?? 0) }));
  const errors = meanBy(output.tables.timeseries, (r) => (r.throughputRps > 0 ? r.errorRps / r.throughputRps : null), order).flatMap((p) =>
    p.value === null ? [] : [{ ...p, t: sig(p.t / div, 6), panel: 'errors', value: sig(p.value) }],
  );
  const x = { field: 't', type: 'quantitative' as const, title: `simulated time (${unit})`, scale: { nice: false, zero: true } };
  const panel = (name: string, title: string, bottom: boolean) => ({
    width: PLOT_WIDTH,
    height: PANEL_HEIGHT,
    layer: [
      ...bandLayer(output, div),
      {
        transform: [{ filter: { field: 'panel', equal: name } }],
        mark: { type: 'line' as const, strokeWidth: 2, interpolate: 'step-after' as const },
        encoding: {
          x: { ...x, axis: bottom ? { title: x.title } : { title: null, labels: false, ticks: false } },
          y: { field: 'value', type: 'quantitative' as const, title, scale: { domain: [0, 1] }, axis: { format: '%' } },
          color: variantColor(output),
        },
      },
    ],
  });
  const bands = faultBands(output).map((b) => `${b.label} ${b.to > b.from ? `${sig(b.from / div)}–${sig(b.to / div)}` : `at ${sig(b.from / div)}`} ${unit}`);
  return {
    $schema: SCHEMA,
    title: {
      text: `Workloads with a valid certificate, and the requests that failed (${replicationPhrase(output, false)})`,
      subtitle: [
        'A certificate expiring breaks nothing by itself: errors start when connections are set up again',
        ...(bands.length > 0 ? [`yellow: ${bands.join('; ')}`] : []),
      ],
    },
    data: { values: [...valid, ...errors] },
    vconcat: [panel('valid', 'workloads with a valid certificate', false), panel('errors', 'requests failed', true)],
    spacing: 12,
    resolve: { scale: { x: 'shared', color: 'shared' } },
    config,
  };
}

export function csrQueueWait(output: RunOutput): TopLevelSpec | undefined {
  const rows = output.tables.identityTimeseries;
  if (!rows.some((r) => (r.csrWaitMaxMs ?? 0) > 0)) return undefined;
  const order = variantNames(output);
  const { div, name: unit } = timeUnit(output.summary.duration);
  const points = meanBy(rows, (r) => r.csrWaitMaxMs, order).flatMap((p) => (p.value === null ? [] : [{ ...p, t: sig(p.t / div, 6), value: sig(p.value) }]));
  return {
    $schema: SCHEMA,
    title: {
      text: `Longest CSR queue wait at the CA per window (${replicationPhrase(output, false)})`,
      subtitle: 'A mass restart sends every pod to the CA at once: the last in line waits (pods ÷ signers) × signing time',
    },
    width: PLOT_WIDTH,
    height: 220,
    data: { values: points },
    layer: [
      ...bandLayer(output, div),
      {
        // Windows without a CSR have no wait: points, not a line drawn across them.
        mark: { type: 'point' as const, filled: true, size: 60 },
        encoding: {
          x: { field: 't', type: 'quantitative' as const, title: `simulated time (${unit})`, scale: { nice: false, zero: true } },
          y: { field: 'value', type: 'quantitative' as const, title: 'longest CSR wait (ms)' },
          color: variantColor(output),
        },
      },
    ],
    config,
  };
}
