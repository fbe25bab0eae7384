// report.html: self-contained (no external URL outside the inlined libraries and spec $schema),
// every chart spec embedded and recoverable, the scenario text escaped.
import { describe, expect, it } from 'vitest';
import { buildCharts } from '../../src/charts/index.ts';
import { reportHtml } from '../../src/report/html.ts';
import { loadEmbedLibraries, packageRoot } from '../../src/report/libraries.ts';
import { makeRunOutput } from '../fixtures/run-output.ts';

const output = makeRunOutput();
const specs = buildCharts(output);
const libraries = await loadEmbedLibraries();
const html = reportHtml(output, specs, libraries);

/** The page without the inlined library code and without the specs' $schema URLs. */
function ownMarkup(page: string): string {
  let rest = page;
  for (const code of Object.values(libraries)) rest = rest.replace(code, '');
  return rest.replaceAll('https://vega.github.io/schema/vega-lite/v6.json', '');
}

describe('report.html', () => {
  it('has no src="http…" or href="http…" anywhere', () => {
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?https?:/i);
  });

  it('contains no external URL outside the inlined libraries and the specs’ $schema', () => {
    const own = ownMarkup(html);
    expect(own).not.toMatch(/https?:\/\//);
    expect(own).not.toMatch(/<(link|img|iframe)\b/i);
    expect(own.match(/<script(?: [^>]*)?>/g)?.filter((s) => s.includes('src='))).toEqual([]);
  });

  it('inlines vega, vega-lite and vega-embed from node_modules', () => {
    expect(packageRoot('vega-embed')).toMatch(/node_modules[/\\]vega-embed$/);
    expect(libraries.vega.length).toBeGreaterThan(100_000);
    for (const code of Object.values(libraries)) {
      expect(html).toContain(code);
      expect(code).not.toMatch(/<\/script/i);
    }
  });

  it('embeds every chart spec, recoverable exactly', () => {
    const embedded = new Map<string, unknown>();
    for (const m of html.matchAll(/<script type="application\/json" data-chart="([^"]+)">(.*?)<\/script>/gs)) embedded.set(m[1]!, JSON.parse(m[2]!));
    expect([...embedded.keys()]).toEqual(Object.keys(specs));
    for (const [name, spec] of Object.entries(specs)) {
      expect(embedded.get(name)).toEqual(JSON.parse(JSON.stringify(spec)));
      expect(html).toContain(`<div id="chart-${name}"></div>`);
    }
    expect(html).toContain("vegaEmbed(target, JSON.parse(data.textContent), { actions: false, renderer: 'svg' })");
  });

  it('shows the header and one results row per variant', () => {
    expect(html).toContain('<h1>gRPC behind an L4 balancer — one pod takes the heat</h1>');
    expect(html).toContain('seed <b>42</b>');
    expect(html).toContain('replications <b>3</b>');
    const results = html.slice(html.indexOf('<table class="results">'), html.indexOf('</table>'));
    const rows = [...results.matchAll(/<tr><th scope="row">([^<]+)<\/th>(.*?)<\/tr>/g)];
    expect(rows.map((r) => r[1])).toEqual(['l4', 'l7-rr', 'l7-p2c']);
    // The fixture has retries, idle pods (l4), sidecar connections and proxy costs (l7): all twelve columns.
    expect(rows[0]![2]!.match(/<td>/g)).toHaveLength(12);
    expect(html).toContain('<th>idle pods<span class="unit">%</span></th><th>connections opened</th>');
  });

  it('lists every edge of every variant between the charts and the scenario', () => {
    const edges = html.indexOf('<h2>Edges</h2>');
    expect(edges).toBeGreaterThan(html.indexOf('<h2>Charts</h2>'));
    expect(edges).toBeLessThan(html.indexOf('<h2>Scenario</h2>'));
    expect([...html.matchAll(/<tr class="group"><th scope="rowgroup" colspan="8">([^<]+)<\/th><\/tr>/g)].map((m) => m[1])).toEqual(['l4', 'l7-rr', 'l7-p2c']);
  });

  it('has no edges section for a run without retries or a second tier', () => {
    const plain = makeRunOutput();
    for (const v of plain.summary.variants)
      v.edges = v.edges.filter((e) => e.entry).map((e) => ({ ...e, retries: { mean: 0, lo: 0, hi: 0 }, retriesRejected: { mean: 0, lo: 0, hi: 0 } }));
    const page = reportHtml(plain, {}, libraries);
    expect(page).not.toContain('<h2>Edges</h2>');
    expect(page).not.toContain('goodput');
  });

  it('escapes the scenario text', () => {
    expect(html).toContain('# &lt;script&gt;alert(&quot;not code&quot;)&lt;/script&gt; &amp; friends');
    expect(html).not.toContain('<script>alert(');
  });

  it('is deterministic', () => {
    expect(reportHtml(makeRunOutput(), buildCharts(makeRunOutput()), libraries)).toBe(html);
  });
});
