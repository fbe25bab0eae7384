// The report's per-edge table: for each variant, every caller→callee edge in call-chain order with
// its requests, tries, retries, refused retries, breaker overflows, success rate and the commonest
// Envoy response flags. Shown when the run has a call graph worth it (retries or several tiers).
import { tierOrder } from '../charts/edges.ts';
import type { EdgeSummary, Figure, Summary } from '../observe/types.ts';
import { formatFigure } from './figures.ts';
import { escapeHtml } from './html-escape.ts';
import { showsCallGraph } from './results-table.ts';

/** Flags printed per edge, commonest first. */
const TOP_FLAGS = 3;

interface Column {
  title: string;
  unit?: string;
  cell: (edge: EdgeSummary) => string;
}

/** A mean count over replications: whole numbers as such, and from 100 up; else one decimal ("0.7"). */
const count = (f: Figure) => formatFigure(f, { decimals: Math.abs(f.mean) >= 100 || Number.isInteger(f.mean) ? 0 : 1 });

/** "UT 16,513, UO 12": the commonest flags with their mean counts; "–" when the edge has none. */
export function topFlags(flags: Readonly<Record<string, Figure>>, n = TOP_FLAGS): string {
  const top = Object.entries(flags)
    .filter(([, f]) => f.mean > 0)
    .sort(([a, x], [b, y]) => y.mean - x.mean || (a < b ? -1 : 1))
    .slice(0, n);
  return top.length === 0 ? '–' : top.map(([flag, f]) => `${flag} ${count({ ...f, lo: f.mean, hi: f.mean })}`).join(', ');
}

const COLUMNS: Column[] = [
  { title: 'requests', cell: (e) => count(e.requests) },
  { title: 'attempts', cell: (e) => count(e.attempts) },
  { title: 'retries', unit: 'sent or refused', cell: (e) => count(e.retries) },
  { title: 'rejected', unit: 'retries refused', cell: (e) => count(e.retriesRejected) },
  { title: 'overflows', unit: 'breaker (UO)', cell: (e) => count(e.overflows) },
  { title: 'success', unit: '%', cell: (e) => formatFigure(e.successRate, { scale: 100, decimals: 1 }) },
  { title: 'top flags', cell: (e) => topFlags(e.flagCounts) },
];

const cellText = (text: string) => (/NaN|Infinity/.test(text) ? '–' : text);

/** The table's HTML, or undefined when no variant has a call graph worth showing. */
export function edgesTable(summary: Summary): string | undefined {
  if (!showsCallGraph(summary)) return undefined;
  const tiers = tierOrder(summary);
  const rank = (e: EdgeSummary) => (e.entry ? -1 : tiers.indexOf(e.to));
  const span = COLUMNS.length + 1;
  const head = COLUMNS.map((c) => `<th>${escapeHtml(c.title)}${c.unit ? `<span class="unit">${escapeHtml(c.unit)}</span>` : ''}</th>`).join('');
  const groups = summary.variants
    .filter((v) => (v.edges ?? []).length > 0)
    .map((v) => {
      const edges = [...v.edges].map((e, i) => ({ e, i })).sort((a, b) => rank(a.e) - rank(b.e) || a.i - b.i);
      const rows = edges.map(({ e }) => {
        const name = `${escapeHtml(e.from)} → ${escapeHtml(e.to)}${e.entry ? ' <span class="tag">entry</span>' : ''}`;
        return `<tr><th scope="row">${name}</th>${COLUMNS.map((c) => `<td>${escapeHtml(cellText(c.cell(e)))}</td>`).join('')}</tr>`;
      });
      return `<tbody>\n<tr class="group"><th scope="rowgroup" colspan="${span}">${escapeHtml(v.name)}</th></tr>\n${rows.join('\n')}\n</tbody>`;
    });
  const n = summary.replications;
  const caption = [
    'Per caller → callee edge, the requests that started in the measured interval.',
    'Attempts: tries sent after every retry layer; retries: retries the layers decided on, sent or refused; rejected: the ones a budget, throttle or breaker refused;',
    'overflows: requests a circuit breaker refused; success: requests answered OK; top flags: Envoy response flags of the final outcomes (mean counts).',
    n > 1 ? `Mean ± half-width of the 95% confidence interval over ${n} replications.` : 'One replication: no confidence interval.',
  ].join(' ');
  return [
    '<table class="results edges">',
    `<caption>${escapeHtml(caption)}</caption>`,
    `<thead><tr><th scope="col">caller → callee</th>${head}</tr></thead>`,
    ...groups,
    '</table>',
  ].join('\n');
}
