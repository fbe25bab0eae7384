// The shared layout of the per-pod charts: one row of bars per variant (pods in service order),
// CI error bars, a dashed reference line per service, and the value printed above outlier pods.
import type { TopLevelSpec } from 'vega-lite';
import type { Figure, PodSummary, RunOutput } from '../observe/types.ts';
import { sig } from './numbers.ts';
import { config, PLOT_WIDTH, SCHEMA, variantColor } from './theme.ts';

export interface PodBarsOptions {
  title: string;
  subtitle: string;
  /** The figure plotted per pod, a fraction in [0, 1]. */
  value: (pod: PodSummary) => Figure;
  /** The reference level per service (fair share, service mean), given that service's pods. */
  reference: (pods: readonly PodSummary[]) => number;
  referenceName: string;
  yTitle: string;
  yDomain?: [number, number];
  /** Pods above this multiple of their reference get their value printed. */
  hotRatio: number;
}

export const podLabel = (pod: { service: string; pod: number }): string => `${pod.service}/${pod.pod}`;

const pct = (x: number): string => `${sig(x * 100, 3)}%`;

/** Pod labels in display order: services in order of first appearance, pods by index. */
export function podOrder(output: RunOutput): string[] {
  const services: string[] = [];
  const indices = new Map<string, Set<number>>();
  for (const variant of output.summary.variants) {
    for (const p of variant.pods) {
      if (!indices.has(p.service)) {
        services.push(p.service);
        indices.set(p.service, new Set());
      }
      indices.get(p.service)!.add(p.pod);
    }
  }
  return services.flatMap((s) => [...indices.get(s)!].sort((a, b) => a - b).map((pod) => podLabel({ service: s, pod })));
}

/** Pods grouped by service, in order of first appearance (Map.groupBy needs Node 21). */
function byService(pods: readonly PodSummary[]): Map<string, PodSummary[]> {
  const groups = new Map<string, PodSummary[]>();
  for (const p of pods) {
    const group = groups.get(p.service);
    if (group) group.push(p);
    else groups.set(p.service, [p]);
  }
  return groups;
}

export function podBars(output: RunOutput, o: PodBarsOptions): TopLevelSpec {
  const order = podOrder(output);
  const values: object[] = [];
  for (const variant of output.summary.variants) {
    for (const [service, pods] of byService(variant.pods)) {
      const ref = o.reference(pods);
      const labels = pods.map(podLabel).sort((a, b) => order.indexOf(a) - order.indexOf(b));
      // The last service's label sits right of the plot; others sit above their line, inside their span.
      const kind = labels.at(-1) === order.at(-1) ? 'ref-last' : 'ref';
      values.push({ kind, variant: variant.name, service, from: labels[0], to: labels.at(-1), ref: sig(ref), label: `${o.referenceName} ${pct(ref)}` });
      for (const pod of pods) {
        const f = o.value(pod);
        const hot = ref > 0 && f.mean > o.hotRatio * ref;
        values.push({
          kind: 'pod',
          variant: variant.name,
          pod: podLabel(pod),
          mean: sig(f.mean),
          lo: sig(f.lo),
          hi: sig(f.hi),
          ...(hot ? { label: pct(f.mean) } : {}),
        });
      }
    }
  }
  // Horizontal pod labels need ~7 px per character at 12 px; tilt them when they would collide.
  const slot = PLOT_WIDTH / order.length;
  const longest = 7 * Math.max(...order.map((l) => l.length));
  const labelAngle = longest < slot * 0.9 ? 0 : order.length <= 20 ? -40 : -90;
  const n = output.summary.variants.length;
  const x = { field: 'pod', type: 'ordinal' as const, sort: order, scale: { domain: order, paddingInner: 0.2 } };
  const y = { type: 'quantitative' as const, scale: o.yDomain ? { domain: o.yDomain } : { zero: true } };
  const ofKind = (kind: string) => [{ filter: `datum.kind === '${kind}'` }];
  const has = (test: (v: Record<string, unknown>) => boolean) => values.some((v) => test(v as Record<string, unknown>));
  return {
    $schema: SCHEMA,
    title: { text: o.title, subtitle: o.subtitle },
    data: { values },
    facet: {
      row: {
        field: 'variant',
        type: 'nominal',
        sort: output.summary.variants.map((v) => v.name),
        title: null,
        header: { labelAngle: 0, labelOrient: 'top', labelAnchor: 'start', labelPadding: 6 },
      },
    },
    spacing: 16,
    spec: {
      width: PLOT_WIDTH,
      height: Math.round(Math.min(240, Math.max(130, 600 / n))),
      layer: [
        {
          transform: ofKind('pod'),
          mark: { type: 'bar' },
          encoding: {
            x: { ...x, title: 'pod (service/index)', axis: { labelAngle, labelFontSize: order.length > 30 ? 10 : 12 } },
            y: { ...y, field: 'mean', title: o.yTitle, axis: { format: '.0%' } },
            color: variantColor(output, false),
            tooltip: [{ field: 'pod' }, { field: 'mean', format: '.2%' }, { field: 'lo', format: '.2%' }, { field: 'hi', format: '.2%' }],
          },
        },
        {
          transform: ofKind('pod'),
          mark: { type: 'rule', color: '#333', strokeWidth: 1.5 },
          encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' } },
        },
        // Layers whose filter would match nothing are left out: vega warns about their empty extent.
        ...(has((v) => v.kind === 'pod' && 'label' in v)
          ? [
              {
                transform: [{ filter: "datum.kind === 'pod' && isValid(datum.label)" }],
                mark: { type: 'text' as const, baseline: 'bottom' as const, dy: -3, fontSize: 12, fontWeight: 'bold' as const, color: '#222' },
                encoding: { x, y: { ...y, field: 'hi' }, text: { field: 'label' } },
              },
            ]
          : []),
        {
          transform: [{ filter: "datum.kind === 'ref' || datum.kind === 'ref-last'" }],
          mark: { type: 'rule', color: '#222', strokeDash: [6, 4], strokeWidth: 1.5 },
          encoding: { x: { ...x, field: 'from', bandPosition: 0 }, x2: { field: 'to', bandPosition: 1 }, y: { ...y, field: 'ref' } },
        },
        {
          transform: ofKind('ref-last'),
          mark: { type: 'text', align: 'left', baseline: 'middle', dx: 4, fontSize: 11, color: '#222' },
          encoding: { x: { ...x, field: 'to', bandPosition: 1 }, y: { ...y, field: 'ref' }, text: { field: 'label' } },
        },
        ...(has((v) => v.kind === 'ref')
          ? [
              {
                transform: ofKind('ref'),
                mark: { type: 'text' as const, align: 'right' as const, baseline: 'bottom' as const, dy: -3, fontSize: 11, color: '#222' },
                encoding: { x: { ...x, field: 'to', bandPosition: 1 }, y: { ...y, field: 'ref' }, text: { field: 'label' } },
              },
            ]
          : []),
      ],
    },
    resolve: { scale: { y: 'shared' } },
    config,
  };
}
