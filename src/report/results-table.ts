// The report's results table: one row per variant with the headline figures, each "mean ±half-width".
import type { Summary } from '../observe/types.ts';
import { formatFigure } from './figures.ts';
import { escapeHtml } from './html-escape.ts';

interface Column {
  title: string;
  unit?: string;
  cell: (metrics: Summary['variants'][number]['metrics']) => string;
}

const COLUMNS: Column[] = [
  { title: 'throughput', unit: 'requests/s', cell: (m) => formatFigure(m.throughputRps, { digits: 4 }) },
  { title: 'success rate', unit: '%', cell: (m) => formatFigure(m.successRate, { scale: 100, decimals: 2 }) },
  { title: 'p50 latency', unit: 'ms', cell: (m) => formatFigure(m.latencyMs.p50) },
  { title: 'p99 latency', unit: 'ms', cell: (m) => formatFigure(m.latencyMs.p99) },
  { title: 'p99.9 latency', unit: 'ms', cell: (m) => formatFigure(m.latencyMs.p999) },
  { title: 'max/mean pod load', cell: (m) => formatFigure(m.podLoadMaxOverMean) },
];

export function resultsTable(summary: Summary): string {
  const head = COLUMNS.map((c) => `<th>${escapeHtml(c.title)}${c.unit ? `<span class="unit">${escapeHtml(c.unit)}</span>` : ''}</th>`).join('');
  const rows = summary.variants.map((v) => {
    const cells = COLUMNS.map((c) => `<td>${escapeHtml(c.cell(v.metrics))}</td>`).join('');
    return `<tr><th scope="row">${escapeHtml(v.name)}</th>${cells}</tr>`;
  });
  const n = summary.replications;
  const caption = n > 1 ? `Mean ± half-width of the 95% confidence interval over ${n} replications.` : 'One replication: no confidence interval.';
  return [
    '<table class="results">',
    `<caption>${escapeHtml(caption)}</caption>`,
    `<thead><tr><th scope="col">variant</th>${head}</tr></thead>`,
    `<tbody>\n${rows.join('\n')}\n</tbody>`,
    '</table>',
  ].join('\n');
}
