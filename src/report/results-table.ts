// The report's results table: one row per variant with the headline figures, each "mean ±half-width".
// The balancing columns (idle pods, connections opened, proxy cost) appear only when some variant
// has a non-zero value, so a scenario without a mesh keeps a compact table; goodput and attempts
// per request only when some variant retried or calls go deeper than one tier.
import type { Figure, Summary } from '../observe/types.ts';
import { formatFigure } from './figures.ts';
import { escapeHtml } from './html-escape.ts';

type Metrics = Summary['variants'][number]['metrics'];

interface Column {
  title: string;
  unit?: string;
  cell: (metrics: Metrics) => string;
  /** The figure behind an optional column: shown only when some variant's mean is non-zero. */
  optional?: (metrics: Metrics) => Figure;
  /** Shown only when the run has a call graph worth the columns (see `showsCallGraph`). */
  callGraph?: true;
}

/** True when some variant retried (or refused a retry) on some edge, or some edge is a handler's downstream call. */
export function showsCallGraph(summary: Summary): boolean {
  return summary.variants.some((v) => (v.edges ?? []).some((e) => !e.entry || e.retries.mean > 0 || e.retriesRejected.mean > 0));
}

const COLUMNS: Column[] = [
  { title: 'throughput', unit: 'requests/s', cell: (m) => formatFigure(m.throughputRps, { digits: 4 }) },
  { title: 'goodput', unit: 'requests/s', cell: (m) => formatFigure(m.goodputRps, { digits: 4 }), callGraph: true },
  { title: 'success rate', unit: '%', cell: (m) => formatFigure(m.successRate, { scale: 100, decimals: 2 }) },
  { title: 'attempts per request', cell: (m) => formatFigure(m.attemptsPerRequest, { decimals: 3 }), callGraph: true },
  { title: 'p50 latency', unit: 'ms', cell: (m) => formatFigure(m.latencyMs.p50) },
  { title: 'p99 latency', unit: 'ms', cell: (m) => formatFigure(m.latencyMs.p99) },
  { title: 'p99.9 latency', unit: 'ms', cell: (m) => formatFigure(m.latencyMs.p999) },
  { title: 'max/mean pod load', cell: (m) => formatFigure(m.podLoadMaxOverMean) },
  { title: 'idle pods', unit: '%', cell: (m) => formatFigure(m.idlePodFraction, { scale: 100, decimals: 0 }), optional: (m) => m.idlePodFraction },
  { title: 'connections opened', cell: (m) => formatFigure(m.connectionsOpened), optional: (m) => m.connectionsOpened },
  { title: 'proxy CPU', unit: 'cores', cell: (m) => formatFigure(m.proxyCpuCores), optional: (m) => m.proxyCpuCores },
  { title: 'proxy memory', unit: 'MB', cell: (m) => formatFigure(m.proxyMemoryMb), optional: (m) => m.proxyMemoryMb },
];

/** The columns this summary shows: every fixed one, each optional one some variant has a non-zero value for, the call-graph ones when it has one. */
export function resultsColumns(summary: Summary): Column[] {
  const callGraph = showsCallGraph(summary);
  return COLUMNS.filter((c) => (!c.callGraph || callGraph) && (!c.optional || summary.variants.some((v) => Math.abs(c.optional!(v.metrics).mean) > 0)));
}

/** A figure's text, or "–" when there is none (no requests in the measured interval). */
const cellText = (column: Column, metrics: Metrics): string => {
  const text = column.cell(metrics);
  return /NaN|Infinity/.test(text) ? '–' : text;
};

export function resultsTable(summary: Summary): string {
  const columns = resultsColumns(summary);
  const head = columns.map((c) => `<th>${escapeHtml(c.title)}${c.unit ? `<span class="unit">${escapeHtml(c.unit)}</span>` : ''}</th>`).join('');
  const rows = summary.variants.map((v) => {
    const cells = columns.map((c) => `<td>${escapeHtml(cellText(c, v.metrics))}</td>`).join('');
    return `<tr><th scope="row">${escapeHtml(v.name)}</th>${cells}</tr>`;
  });
  const n = summary.replications;
  const caption = n > 1 ? `Mean ± half-width of the 95% confidence interval over ${n} replications.` : 'One replication: no confidence interval.';
  const notes = [
    ...(columns.some((c) => c.title === 'goodput')
      ? [' Goodput: requests answered OK per second. Attempts per request: tries the callers sent (after every retry layer) per application request.']
      : []),
    ...(columns.some((c) => c.title === 'idle pods') ? [' Idle pods: pods that served under 1% of a fair share of their service’s requests.'] : []),
  ].join('');
  return [
    '<table class="results">',
    `<caption>${escapeHtml(caption + notes)}</caption>`,
    `<thead><tr><th scope="col">variant</th>${head}</tr></thead>`,
    `<tbody>\n${rows.join('\n')}\n</tbody>`,
    '</table>',
  ].join('\n');
}
