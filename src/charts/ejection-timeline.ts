// The outlier-ejection timeline: one row per pod, a translucent bar for each ejection by a client sidecar (so a pod
// ejected by every sidecar at once looks dark), the fault windows shaded and the detector's sweep ticks drawn as thin
// lines — ejections end only on a tick (REFERENCE §1.3). One panel per variant, first replication.
import type { TopLevelSpec } from 'vega-lite';
import type { EjectionRow, RunOutput } from '../observe/types.ts';
import { faultBands, faultLayers } from './faults.ts';
import { sig } from './numbers.ts';
import { config, PLOT_WIDTH, SCHEMA } from './theme.ts';

const KIND_LABEL: Record<string, string> = {
  consecutive5xx: 'consecutive 5xx',
  consecutiveGatewayFailure: 'consecutive gateway errors',
  consecutiveLocalOriginFailure: 'consecutive local-origin failures',
  successRate: 'success rate',
  successRateLocalOrigin: 'success rate (local origin)',
  failurePercentage: 'failure percentage',
  failurePercentageLocalOrigin: 'failure percentage (local origin)',
};

const ROW_PX = 24;
/** The extra row for the times a sidecar's balancer was in panic and ignored its ejections. */
const PANIC_ROW = 'balancer in panic';
const PANIC_KIND = 'panic: ejections ignored';
/** ColorBrewer Set1, then grey for panic. */
const KIND_COLORS = ['#e41a1c', '#377eb8', '#4daf4a', '#984ea3', '#ff7f00', '#a65628', '#f781bf'];

export function ejectionTimeline(output: RunOutput): TopLevelSpec | undefined {
  const rows: readonly EjectionRow[] = output.tables.ejections ?? [];
  if (rows.length === 0) return undefined;
  const first = Math.min(...rows.map((r) => r.replication));
  const services = new Set(rows.map((r) => r.service));
  const panics = (output.tables.panics ?? []).filter((p) => p.replication === first);
  const pods = [
    ...(panics.length > 0 ? [PANIC_ROW] : []),
    ...[...new Set(output.tables.pods.filter((p) => services.has(p.service)).map((p) => `${p.service}/${p.pod}`))].sort((a, b) =>
      a.localeCompare(b, 'en', { numeric: true }),
    ),
  ];
  const duration = output.summary.duration;
  const sidecars = new Set(rows.map((r) => r.cluster)).size;
  const x = { type: 'quantitative' as const, scale: { domain: [0, duration], nice: false }, title: 'simulated time (s)' };
  const kinds = [...new Set(rows.map((r) => KIND_LABEL[r.kind] ?? r.kind))];
  const colorScale = {
    domain: [...kinds, ...(panics.length > 0 ? [PANIC_KIND] : [])],
    range: [...kinds.map((_, i) => KIND_COLORS[i % KIND_COLORS.length] as string), ...(panics.length > 0 ? ['#555555'] : [])],
  };
  const panels = output.summary.variants.map((v, i) => {
    const mine = rows.filter((r) => r.variant === v.name && r.replication === first);
    const overflow = v.edges.reduce((n, e) => n + (e.ejectionsOverflow?.mean ?? 0), 0);
    const on = v.edges.some((e) => e.ejectionsDetected !== undefined);
    const empty = !on
      ? 'outlier detection off'
      : overflow > 0
        ? `no ejections: ${Math.round(overflow)} detections refused by the maxEjectionPercent cap`
        : 'no ejections';
    const interval = mine[0]?.interval ?? 0;
    const ticks = interval > 0 ? Array.from({ length: Math.floor(duration / interval) }, (_, k) => ({ t: sig((k + 1) * interval, 6) })) : [];
    const last = i === output.summary.variants.length - 1;
    const axis = last ? { title: x.title } : { title: null, labels: false, ticks: false };
    return {
      title: { text: v.name, anchor: 'start' as const, fontSize: 13 },
      width: PLOT_WIDTH,
      height: ROW_PX * pods.length,
      layer: [
        ...faultLayers(faultBands(output, [v.name]), false),
        ...(ticks.length > 0
          ? [
              {
                data: { values: ticks },
                mark: { type: 'rule' as const, color: '#9a9a9a', strokeWidth: 0.6, strokeDash: [2, 3] },
                encoding: { x: { field: 't', ...x, axis } },
              },
            ]
          : []),
        {
          transform: [{ filter: { field: 'variant', equal: v.name } }],
          mark: {
            type: 'bar' as const,
            opacity: Math.max(0.15, Math.min(0.8, 1.2 / Math.max(1, sidecars))),
            height: ROW_PX * 0.7,
            stroke: 'white',
            strokeWidth: 0.8,
          },
          encoding: {
            x: { field: 'start', ...x, axis },
            x2: { field: 'end' },
            y: { field: 'pod', type: 'nominal' as const, scale: { domain: pods }, title: null },
            color: { field: 'kind', type: 'nominal' as const, title: 'ejected by', scale: colorScale },
            tooltip: [
              { field: 'pod' },
              { field: 'cluster', title: 'sidecar' },
              { field: 'kind' },
              { field: 'start', title: 'from (s)' },
              { field: 'end', title: 'to (s)' },
            ],
          },
        },
        ...(mine.length === 0
          ? [
              {
                data: { values: [{ t: duration / 2, label: empty }] },
                mark: { type: 'text' as const, fontSize: 13, color: '#777' },
                encoding: { x: { field: 't', ...x, axis }, text: { field: 'label' } },
              },
            ]
          : []),
      ],
    };
  });
  const bars = rows
    .filter((r) => r.replication === first)
    .map((r) => ({
      variant: r.variant,
      pod: `${r.service}/${r.pod}`,
      start: sig(r.start, 6),
      end: sig(r.end, 6),
      kind: KIND_LABEL[r.kind] ?? r.kind,
      cluster: r.cluster,
    }))
    .concat(panics.map((p) => ({ variant: p.variant, pod: PANIC_ROW, start: sig(p.start, 6), end: sig(p.end, 6), kind: PANIC_KIND, cluster: p.cluster })));
  const n = output.summary.replications;
  return {
    $schema: SCHEMA,
    title: {
      text: `Outlier ejections per pod over time (${n > 1 ? `first of ${n} replications` : '1 replication'})`,
      subtitle: [
        `one bar per ejection by one client sidecar (${sidecars} sidecar clusters ejected something): darker = ejected by more sidecars at once`,
        'yellow: fault windows; dotted lines: the detector’s sweeps, the only instants an ejection can end',
        ...(panics.length > 0 ? ['grey, top row: a sidecar’s balancer in panic (too few healthy pods), sending traffic to ejected pods too'] : []),
      ],
    },
    data: { values: bars },
    vconcat: panels,
    spacing: 14,
    resolve: { scale: { x: 'shared', color: 'shared', y: 'shared' } },
    config,
  };
}
