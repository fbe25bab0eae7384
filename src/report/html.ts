// report.html: one self-contained page (header, results table, every chart drawn live by an
// inlined vega-embed, the per-edge table when the run has a call graph, the scenario text). It
// references nothing outside itself, so it opens from file:// offline. A pure function: the caller
// supplies the library code.
import type { TopLevelSpec } from 'vega-lite';
import type { RunOutput } from '../observe/types.ts';
import { edgesTable } from './edges-table.ts';
import { escapeHtml, scriptJson } from './html-escape.ts';
import type { EmbedLibraries } from './libraries.ts';
import { REPORT_CSS } from './report-style.ts';
import { resultsTable } from './results-table.ts';

/** Draws every chart whose spec sits in a <script type="application/json" data-chart> element. */
const EMBED_SCRIPT = `
for (const data of document.querySelectorAll('script[type="application/json"][data-chart]')) {
  const target = document.getElementById('chart-' + data.dataset.chart);
  vegaEmbed(target, JSON.parse(data.textContent), { actions: false, renderer: 'svg' }).catch((error) => {
    target.textContent = 'This chart could not be drawn: ' + error.message;
    target.className = 'chart-error';
  });
}
`;

function header(output: RunOutput): string {
  const s = output.summary;
  const items: [string, string][] = [
    ['scenario', s.scenario],
    ['file', output.scenarioFile],
    ['seed', String(s.seed)],
    ['replications', String(s.replications)],
    ['simulated', `${seconds(s.duration)} (warm-up ${seconds(s.warmup)})`],
    ['variants', s.variants.map((v) => v.name).join(', ')],
  ];
  const meta = items.map(([k, v]) => `<li>${escapeHtml(k)} <b>${escapeHtml(v)}</b></li>`).join('\n');
  return `<header>\n<h1>${escapeHtml(s.title || s.scenario)}</h1>\n<ul class="meta">\n${meta}\n</ul>\n</header>`;
}

function chartFigure(name: string, spec: TopLevelSpec): string {
  const id = escapeHtml(name);
  return [
    `<figure class="chart">`,
    `<div id="chart-${id}"></div>`,
    `<script type="application/json" data-chart="${id}">${scriptJson(spec)}</script>`,
    `<figcaption>charts/${id}.vl.json</figcaption>`,
    `</figure>`,
  ].join('\n');
}

export function reportHtml(output: RunOutput, specs: Readonly<Record<string, TopLevelSpec>>, libraries: EmbedLibraries): string {
  const s = output.summary;
  const charts = Object.entries(specs).map(([name, spec]) => chartFigure(name, spec));
  const edges = edgesTable(s);
  const edgesSection = edges === undefined ? '' : `<section>\n<h2>Edges</h2>\n<div class="table-wrap">\n${edges}\n</div>\n</section>\n`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${s.scenario} — meshsim report`)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
${header(output)}
<section>
<h2>Results</h2>
<div class="table-wrap">
${resultsTable(s)}
</div>
</section>
<section>
<h2>Charts</h2>
<noscript><p>The charts are drawn with JavaScript; the same charts are in the charts/ folder as SVG and PNG.</p></noscript>
${charts.join('\n')}
</section>
${edgesSection}<section>
<h2>Scenario</h2>
<pre class="scenario">${escapeHtml(output.scenarioText)}</pre>
</section>
</main>
<script>${libraries.vega}</script>
<script>${libraries.vegaLite}</script>
<script>${libraries.vegaEmbed}</script>
<script>${EMBED_SCRIPT}</script>
</body>
</html>
`;
}

/** "240 s", or "72 h" for runs of hours (2 h and more). */
function seconds(t: number): string {
  return t >= 7200 ? `${+(t / 3600).toPrecision(4)} h` : `${t} s`;
}
