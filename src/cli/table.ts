// The results table printed after a run: one row per variant, each figure as mean ±CI half-width.
import type { Figure, Summary } from '../observe/types.ts';

const pm = (f: Figure, digits: number, unit = '') => {
  const half = (f.hi - f.lo) / 2;
  return half > 0 ? `${f.mean.toFixed(digits)}${unit} ±${half.toFixed(digits)}` : `${f.mean.toFixed(digits)}${unit}`;
};

const ms = (f: Figure) => pm(f, f.mean < 10 ? 2 : f.mean < 100 ? 1 : 0, 'ms');

export function resultsTable(summary: Summary): string {
  const header = ['variant', 'rps', 'p50', 'p99', 'p99.9', 'errors', 'max/mean pod load'];
  const rows = summary.variants.map((v) => {
    const m = v.metrics;
    const errors = { mean: 100 * (1 - m.successRate.mean), lo: 100 * (1 - m.successRate.hi), hi: 100 * (1 - m.successRate.lo) };
    return [v.name, pm(m.throughputRps, 0), ms(m.latencyMs.p50), ms(m.latencyMs.p99), ms(m.latencyMs.p999), pm(errors, 2, '%'), pm(m.podLoadMaxOverMean, 2)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [fmt(header), ...rows.map(fmt)].join('\n');
}
