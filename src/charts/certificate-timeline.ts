// The certificate timeline (the headline of docs/certificates.md): one row per workload, each certificate a bar over
// the time it was held — blue while valid, orange once expired and still held, nothing while a restarted pod waits for
// a new one — renewals as ticks, the CA or control-plane outage shaded, and failed handshakes as red marks. Rows are ordered by first failure, so the chart
// reads "who broke first". Replication 1 of each variant, a panel per variant.
import type { TopLevelSpec } from 'vega-lite';
import type { CertificateRow, RunOutput } from '../observe/types.ts';
import { FAULT_FILL, FAULT_OPACITY, faultBands } from './faults.ts';
import { sig } from './numbers.ts';
import { config, PLOT_WIDTH, SCHEMA, variantNames } from './theme.ts';

/** Workloads drawn per panel (those failing first, then by name). */
export const MAX_ROWS = 36;
const ROW_PX = 11;

/** Sorts `payments/9` before `payments/10`. */
const natural = (name: string) => name.replace(/\d+/g, (d) => d.padStart(8, '0'));

/** Hours on the axis for runs over three hours, minutes otherwise. */
export function timeUnit(duration: number): { div: number; name: string } {
  return duration > 3 * 3600 ? { div: 3600, name: 'h' } : duration > 180 ? { div: 60, name: 'min' } : { div: 1, name: 's' };
}

interface Segment {
  variant: string;
  workload: string;
  from: number;
  to: number;
  state: 'valid' | 'expired';
}

/** What each certificate covered while held: valid until its notAfter, expired after, until the next one came. */
function segments(variant: string, certs: readonly CertificateRow[], end: number, div: number): Segment[] {
  const byWorkload = new Map<string, CertificateRow[]>();
  for (const c of certs) byWorkload.set(c.workload, [...(byWorkload.get(c.workload) ?? []), c]);
  const out: Segment[] = [];
  for (const [workload, list] of byWorkload) {
    list.sort((a, b) => a.installedAt - b.installedAt);
    list.forEach((c, i) => {
      const held = Math.max(c.installedAt, 0);
      const until = Math.min(list[i + 1]?.installedAt ?? end, c.releasedAt ?? end, end);
      const expiry = Math.min(Math.max(c.to, held), until);
      if (expiry > held) out.push({ variant, workload, from: sig(held / div, 6), to: sig(expiry / div, 6), state: 'valid' });
      if (until > expiry) out.push({ variant, workload, from: sig(expiry / div, 6), to: sig(until / div, 6), state: 'expired' });
    });
  }
  return out;
}

function windowOf(output: RunOutput): number {
  const [a, b] = output.tables.identityTimeseries;
  return a && b && b.t > a.t ? b.t - a.t : output.summary.duration;
}

export function certificateTimeline(output: RunOutput): TopLevelSpec | undefined {
  const { certificates, handshakeFailures } = output.tables;
  // Nothing to show when every workload kept the certificate it started with and no handshake failed.
  const eventful = handshakeFailures.length > 0 || certificates.some((c) => c.installedAt > 0 || c.releasedAt !== null);
  if (!eventful) return undefined;
  const end = output.summary.duration;
  const { div, name: unit } = timeUnit(end);
  const variants = variantNames(output);
  const bars: Segment[] = [];
  const ticks: { variant: string; workload: string; t: number }[] = [];
  const marks: { variant: string; workload: string; t: number; count: number }[] = [];
  const rows: { variant: string; workload: string }[] = [];
  let shown = 0;
  let total = 0;
  for (const variant of variants) {
    const certs = certificates.filter((c) => c.variant === variant && c.replication === 0);
    const fails = handshakeFailures.filter((f) => f.variant === variant && f.replication === 0);
    const firstFail = new Map<string, number>();
    for (const f of fails) firstFail.set(f.workload, Math.min(firstFail.get(f.workload) ?? Number.POSITIVE_INFINITY, f.t));
    const workloads = [...new Set(certs.map((c) => c.workload))].sort(
      (a, b) =>
        (firstFail.get(a) ?? Number.POSITIVE_INFINITY) - (firstFail.get(b) ?? Number.POSITIVE_INFINITY) ||
        (natural(a) < natural(b) ? -1 : natural(a) > natural(b) ? 1 : 0),
    );
    total = Math.max(total, workloads.length);
    const keep = new Set(workloads.slice(0, MAX_ROWS));
    shown = Math.max(shown, keep.size);
    for (const w of keep) rows.push({ variant, workload: w });
    const kept = certs.filter((c) => keep.has(c.workload));
    const rank = new Map([...keep].map((w, i) => [w, i]));
    // Data order is row order (the y scale keeps it): first failures on top.
    bars.push(...segments(variant, kept, end, div).sort((a, b) => (rank.get(a.workload) ?? 0) - (rank.get(b.workload) ?? 0)));
    for (const c of kept) if (c.renewal) ticks.push({ variant, workload: c.workload, t: sig(c.installedAt / div, 6) });
    for (const f of fails) if (keep.has(f.workload)) marks.push({ variant, workload: f.workload, t: sig(f.t / div, 6), count: sig(f.count) });
  }
  const bandsOf = (variant: string) => faultBands(output, [variant]).map((b) => ({ ...b, from: b.from / div, to: b.to / div }));
  const bands = faultBands(output).map((b) => ({ ...b, from: b.from / div, to: b.to / div }));
  const x = { type: 'quantitative' as const, title: `simulated time (${unit})`, scale: { domain: [0, sig(end / div, 6)], nice: false } };
  const y = { field: 'workload', type: 'nominal' as const, title: null, sort: null, axis: { labelFontSize: 9, labelLimit: 140 } };
  // Each panel shades its own variant's faults.
  const layersFor = (variant: string) => {
    const own = bandsOf(variant);
    return [
      ...(own.length > 0
        ? [
            {
              data: { values: own },
              mark: { type: 'rect' as const, color: FAULT_FILL, opacity: FAULT_OPACITY },
              encoding: { x: { field: 'from', ...x }, x2: { field: 'to' } },
            },
          ]
        : []),
      // The outage's edges, drawn over the bars.
      ...(own.length > 0
        ? [
            {
              data: { values: own.flatMap((b) => [{ t: b.from }, { t: b.to }]) },
              mark: { type: 'rule' as const, color: '#b07d00', strokeWidth: 2, strokeDash: [6, 3] },
              encoding: { x: { field: 't', ...x } },
            },
          ]
        : []),
      {
        transform: [{ filter: { field: 'variant', equal: variant } }],
        mark: { type: 'bar' as const, height: ROW_PX - 3 },
        encoding: {
          x: { field: 'from', ...x },
          x2: { field: 'to' },
          y,
          color: {
            field: 'state',
            type: 'nominal' as const,
            title: 'certificate held',
            scale: { domain: ['valid', 'expired'], range: ['#4e79a7', '#f28e2b'] },
            legend: { orient: 'bottom' as const },
          },
        },
      },
      {
        data: { values: ticks },
        transform: [{ filter: { field: 'variant', equal: variant } }],
        mark: { type: 'tick' as const, color: '#1b2a3a', thickness: 1.5, size: ROW_PX - 1 },
        encoding: { x: { field: 't', ...x }, y },
      },
      {
        data: { values: marks },
        transform: [{ filter: { field: 'variant', equal: variant } }],
        mark: { type: 'point' as const, shape: 'cross', color: '#d62728', size: 30, filled: true, opacity: 0.8 },
        encoding: { x: { field: 't', ...x }, y },
      },
    ];
  };
  const panel = (variant: string) => {
    const count = rows.filter((r) => r.variant === variant).length;
    return {
      title: { text: variant, anchor: 'start' as const, fontSize: 13 },
      width: PLOT_WIDTH,
      height: Math.max(count, 1) * ROW_PX,
      layer: layersFor(variant),
    };
  };
  return {
    $schema: SCHEMA,
    title: {
      text: `Certificates over time: what each workload held, and when its new connections failed (the first of ${output.summary.replications} replications)`,
      subtitle: [
        `blue: valid certificate held, orange: expired and still held, ticks: renewals, red ×: handshakes that failed on connections the workload opened (${sig(windowOf(output))} s windows)`,
        `${bands.length > 0 ? `yellow between dashed lines, in the panels they apply to: ${bands.map((b) => `${b.label} ${b.to > b.from ? `${sig(b.from)}–${sig(b.to)}` : `at ${sig(b.from)}`} ${unit}`).join('; ')}; ` : ''}${shown < total ? `${shown} of ${total} workloads, those failing first` : `${total} workloads`}, ordered by first failure`,
      ],
    },
    // The bars are the chart's own data; the other layers bring theirs.
    data: { values: bars },
    vconcat: variants.map(panel),
    spacing: 16,
    resolve: { scale: { color: 'shared', y: 'independent' } },
    config,
  };
}
