// The results table printed after a run: one row per variant, each figure as mean ±CI half-width.
// "idle pods" and "proxy cpu" are added only when some variant has a non-zero value; "goodput"
// (successful requests/s) and "att/req" (tries per application request) only when some variant
// retried enough to show: attempts per request other than 1.00.
import type { Figure, Summary } from '../observe/types.ts';

const pm = (f: Figure, digits: number, unit = '') => {
  const half = (f.hi - f.lo) / 2;
  return half > 0 ? `${f.mean.toFixed(digits)}${unit} ±${half.toFixed(digits)}` : `${f.mean.toFixed(digits)}${unit}`;
};

const ms = (f: Figure) => pm(f, f.mean < 10 ? 2 : f.mean < 100 ? 1 : 0, 'ms');

const percent = (f: Figure): Figure => ({ mean: 100 * f.mean, lo: 100 * f.lo, hi: 100 * f.hi });

type Metrics = Summary['variants'][number]['metrics'];

interface Column {
  title: string;
  cell: (m: Metrics) => string;
  /** Shown only when some variant's figure has a non-zero mean. */
  optional?: (m: Metrics) => Figure;
  /** Shown only when some variant retried: attempts per request that print as something other than 1.00. */
  retries?: true;
}

const retried = (m: Metrics) => Math.abs((m.attemptsPerRequest?.mean ?? 1) - 1) >= 0.005;

const COLUMNS: Column[] = [
  { title: 'rps', cell: (m) => pm(m.throughputRps, 0) },
  { title: 'goodput', cell: (m) => pm(m.goodputRps, 0), retries: true },
  { title: 'p50', cell: (m) => ms(m.latencyMs.p50) },
  { title: 'p99', cell: (m) => ms(m.latencyMs.p99) },
  { title: 'p99.9', cell: (m) => ms(m.latencyMs.p999) },
  {
    title: 'errors',
    cell: (m) => pm({ mean: 100 * (1 - m.successRate.mean), lo: 100 * (1 - m.successRate.hi), hi: 100 * (1 - m.successRate.lo) }, 2, '%'),
  },
  { title: 'att/req', cell: (m) => pm(m.attemptsPerRequest, 2), retries: true },
  { title: 'max/mean pod load', cell: (m) => pm(m.podLoadMaxOverMean, 2) },
  { title: 'idle pods', cell: (m) => pm(percent(m.idlePodFraction), 0, '%'), optional: (m) => m.idlePodFraction },
  { title: 'proxy cpu', cell: (m) => pm(m.proxyCpuCores, 2), optional: (m) => m.proxyCpuCores },
];

export function resultsTable(summary: Summary): string {
  const anyRetried = summary.variants.some((v) => retried(v.metrics));
  const columns = COLUMNS.filter((c) => (!c.retries || anyRetried) && (!c.optional || summary.variants.some((v) => Math.abs(c.optional!(v.metrics).mean) > 0)));
  const header = ['variant', ...columns.map((c) => c.title)];
  const rows = summary.variants.map((v) => [v.name, ...columns.map((c) => c.cell(v.metrics))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [fmt(header), ...rows.map(fmt)].join('\n');
}
