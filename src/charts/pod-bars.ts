// The shared layout of the per-pod bar charts: one row of bars per variant, pods ranked busiest
// first within each replication (which pod is hot is luck of the draw and differs between
// replications, so a mean per pod index would average the skew away), the rank's mean over
// replications with its 95% CI, a dashed reference level, and the value printed above outliers.
import type { TopLevelSpec } from 'vega-lite';
import type { PodRow, RunOutput, VariantSummary } from '../observe/types.ts';
import { meanCi, sig } from './numbers.ts';
import { fairShares, groupBy, podRowsByVariant, serviceOrder } from './pod-data.ts';
import { config, ofKind, PLOT_WIDTH, SCHEMA, variantColor, variantFacet } from './theme.ts';

export { podLabel, podOrder } from './pod-data.ts';

export interface PodBarsOptions {
  title: string;
  subtitle: string | string[];
  /** The value plotted per pod and replication, a fraction in [0, 1]. */
  value: (row: PodRow) => number;
  /** The reference level: each pod's fair share of requests, or the mean over the service's pods. */
  reference: 'fair-share' | 'service-mean';
  referenceName: string;
  /** What the pods are ranked by, for the x axis title ("share", "utilization"). */
  rankedBy: string;
  yTitle: string;
  yDomain?: [number, number];
  /** Pods above this multiple of their reference get their value printed. */
  hotRatio: number;
  /** Appended to the subtitle when a reference level steps down within a service (pods added later). */
  stepNote?: string;
  /** A short note printed in the top right corner of a variant's panel. */
  note?: (variant: VariantSummary) => string | undefined;
}

/** "25.0%", "8.33%", "100%": three significant digits, trailing zeros kept so neighbouring labels line up. */
const pct = (x: number): string => (x === 0 ? '0%' : `${(x * 100).toPrecision(3)}%`);

interface RankedBar {
  service: string;
  /** 1 = the busiest pod. */
  rank: number;
  label: string;
  mean: number;
  lo: number;
  hi: number;
  ref: number;
}

/** The x label of the pod ranked `rank` (1 = busiest) in `service`. */
function rankLabel(service: string, rank: number, multiService: boolean): string {
  return multiService ? `${service} #${rank}` : `#${rank}`;
}

/** Rows of one variant, from the pods table or (when it is empty) one pseudo-replication of summary means. */
function variantRows(variant: VariantSummary, table: readonly PodRow[] | undefined): readonly PodRow[] {
  if (table && table.length > 0) return table;
  return variant.pods.map((p) => ({
    variant: variant.name,
    replication: 0,
    service: p.service,
    pod: p.pod,
    requests: p.requests.mean,
    share: p.share.mean,
    utilization: p.utilization.mean,
    connections: 0,
    ready: p.ready.mean,
  }));
}

const descending = (a: number, b: number) => b - a;

/** One bar per (service, rank): the mean over replications of the rank-th largest value, and its reference. */
function rankBars(
  variant: VariantSummary,
  rows: readonly PodRow[],
  o: PodBarsOptions,
  fair: ReturnType<typeof fairShares>,
  multiService: boolean,
): RankedBar[] {
  const bars: RankedBar[] = [];
  for (const [service, serviceRows] of groupBy(rows, (r) => r.service)) {
    const values: number[][] = [];
    const refs: number[][] = [];
    for (const [replication, pods] of groupBy(serviceRows, (r) => r.replication)) {
      const vs = pods.map(o.value).sort(descending);
      const mean = vs.reduce((s, v) => s + v, 0) / vs.length;
      const rs =
        o.reference === 'fair-share'
          ? pods.map((p) => fair(variant.name, replication as number, p.service, p.pod) ?? 1 / pods.length).sort(descending)
          : vs.map(() => mean);
      vs.forEach((v, k) => {
        (values[k] ??= []).push(v);
        (refs[k] ??= []).push(rs[k]!);
      });
    }
    const [lo, hi] = o.yDomain ?? [0, 1];
    values.forEach((vs, k) => {
      const f = meanCi(vs);
      const r = refs[k]!;
      bars.push({
        service: service as string,
        rank: k + 1,
        label: rankLabel(service as string, k + 1, multiService),
        mean: f.mean,
        lo: Math.max(lo, f.lo),
        hi: Math.min(hi, f.hi),
        ref: r.reduce((s, v) => s + v, 0) / r.length,
      });
    });
  }
  return bars;
}

/** Runs of neighbouring bars with the same reference (to 3 digits): one dashed segment each. */
function segments(bars: readonly RankedBar[]): { service: string; from: string; to: string; ref: number }[] {
  const out: { service: string; from: string; to: string; ref: number }[] = [];
  for (const bar of bars) {
    const last = out.at(-1);
    const ref = sig(bar.ref, 3);
    if (last && last.service === bar.service && last.ref === ref) last.to = bar.label;
    else out.push({ service: bar.service, from: bar.label, to: bar.label, ref });
  }
  return out;
}

export function podBars(output: RunOutput, o: PodBarsOptions): TopLevelSpec {
  const services = serviceOrder(output);
  const multiService = services.length > 1;
  const tables = podRowsByVariant(output);
  const fair = fairShares(output);
  const perVariant = output.summary.variants.map((v) => ({ variant: v, bars: rankBars(v, variantRows(v, tables.get(v.name)), o, fair, multiService) }));
  // Every rank any variant has, services in order of first appearance.
  const ranks = new Map<string, number>();
  for (const { bars } of perVariant) for (const b of bars) ranks.set(b.service, Math.max(ranks.get(b.service) ?? 0, b.rank));
  const order = services.flatMap((s) => Array.from({ length: ranks.get(s) ?? 0 }, (_, k) => rankLabel(s, k + 1, multiService)));

  // Value labels ("44.6%", ~45 px) fit over bars at least that wide; over narrower bars only the
  // first hot pod of each service is labelled, left-aligned on its bar so it clears its neighbours.
  const slot = PLOT_WIDTH / Math.max(1, order.length);
  const narrow = slot < 45;
  const values: object[] = [];
  let steps = false;
  for (const { variant, bars } of perVariant) {
    const segs = segments(bars);
    steps ||= segs.some((seg, i) => segs[i + 1]?.service === seg.service);
    for (const [i, seg] of segs.entries()) {
      // A label sits right of its segment when the segment ends the axis or steps down to a lower
      // level of the same service (the ranks after it are smaller); else above its line, inside.
      const stepsDown = segs[i + 1]?.service === seg.service;
      const kind = seg.to === order.at(-1) || stepsDown ? 'ref-right' : 'ref';
      values.push({ kind, variant: variant.name, from: seg.from, to: seg.to, ref: seg.ref, label: `${o.referenceName} ${pct(seg.ref)}` });
    }
    const labelled = new Set<string>();
    for (const bar of bars) {
      const hot = bar.ref > 0 && bar.mean > o.hotRatio * bar.ref && !(narrow && labelled.has(bar.service));
      if (hot) labelled.add(bar.service);
      values.push({
        kind: 'pod',
        variant: variant.name,
        pod: bar.label,
        mean: sig(bar.mean),
        lo: sig(bar.lo),
        hi: sig(bar.hi),
        ref: sig(bar.ref),
        ...(hot ? { label: pct(bar.mean) } : {}),
      });
    }
    const note = o.note?.(variant);
    if (note) values.push({ kind: 'note', variant: variant.name, label: note });
  }
  // Horizontal labels need ~7 px per character at 12 px; tilt them when they would collide.
  const longest = 7 * Math.max(...order.map((l) => l.length));
  const labelAngle = longest < slot * 0.9 ? 0 : order.length <= 20 ? -40 : -90;
  const n = output.summary.variants.length;
  const x = { field: 'pod', type: 'ordinal' as const, sort: order, scale: { domain: order, paddingInner: 0.2 } };
  const y = { type: 'quantitative' as const, scale: o.yDomain ? { domain: o.yDomain } : { zero: true } };
  const has = (test: (v: Record<string, unknown>) => boolean) => values.some((v) => test(v as Record<string, unknown>));
  const xTitle = multiService
    ? `pods of each service, ranked by ${o.rankedBy} (#1 = busiest)`
    : `${services[0] ?? ''} pods, ranked by ${o.rankedBy} (#1 = busiest)`;
  return {
    $schema: SCHEMA,
    title: { text: o.title, subtitle: steps && o.stepNote ? [...[o.subtitle].flat(), o.stepNote] : o.subtitle },
    data: { values },
    facet: variantFacet(output),
    spacing: 16,
    spec: {
      width: PLOT_WIDTH,
      height: Math.round(Math.min(240, Math.max(130, 600 / n))),
      layer: [
        {
          transform: ofKind('pod'),
          mark: { type: 'bar' },
          encoding: {
            x: { ...x, title: xTitle, axis: { labelAngle, labelFontSize: order.length > 30 ? 10 : 12 } },
            y: { ...y, field: 'mean', title: o.yTitle, axis: { format: '.0%' } },
            color: variantColor(output, false),
            tooltip: [
              { field: 'pod', title: 'rank' },
              { field: 'mean', format: '.2%' },
              { field: 'lo', title: '95% CI low', format: '.2%' },
              { field: 'hi', title: '95% CI high', format: '.2%' },
              { field: 'ref', title: o.referenceName, format: '.2%' },
            ],
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
                mark: {
                  type: 'text' as const,
                  baseline: 'bottom' as const,
                  dy: -3,
                  fontSize: 12,
                  fontWeight: 'bold' as const,
                  color: '#222',
                  ...(narrow ? { align: 'left' as const } : {}),
                },
                encoding: { x: narrow ? { ...x, bandPosition: 0 } : x, y: { ...y, field: 'hi' }, text: { field: 'label' } },
              },
            ]
          : []),
        {
          transform: [{ filter: "datum.kind === 'ref' || datum.kind === 'ref-right'" }],
          mark: { type: 'rule', color: '#222', strokeDash: [6, 4], strokeWidth: 1.5 },
          encoding: { x: { ...x, field: 'from', bandPosition: 0 }, x2: { field: 'to', bandPosition: 1 }, y: { ...y, field: 'ref' } },
        },
        ...(has((v) => v.kind === 'ref-right')
          ? [
              {
                transform: ofKind('ref-right'),
                mark: { type: 'text' as const, align: 'left' as const, baseline: 'middle' as const, dx: 4, fontSize: 11, color: '#222' },
                encoding: { x: { ...x, field: 'to', bandPosition: 1 }, y: { ...y, field: 'ref' }, text: { field: 'label' } },
              },
            ]
          : []),
        ...(has((v) => v.kind === 'ref')
          ? [
              {
                transform: ofKind('ref'),
                mark: { type: 'text' as const, align: 'right' as const, baseline: 'bottom' as const, dy: -3, fontSize: 11, color: '#222' },
                encoding: { x: { ...x, field: 'to', bandPosition: 1 }, y: { ...y, field: 'ref' }, text: { field: 'label' } },
              },
            ]
          : []),
        ...(has((v) => v.kind === 'note')
          ? [
              {
                transform: ofKind('note'),
                mark: { type: 'text' as const, align: 'right' as const, baseline: 'top' as const, fontSize: 13, fontWeight: 'bold' as const, color: '#222' },
                encoding: { x: { value: PLOT_WIDTH - 8 }, y: { value: 8 }, text: { field: 'label' } },
              },
            ]
          : []),
      ],
    },
    resolve: { scale: { y: 'shared' } },
    config,
  };
}
