// The report's per-edge table: one group of rows per variant, the edges of each in call-chain
// order (entry first), counts with their CI, success in %, the commonest Envoy flags; no table for
// a run without retries or a second tier.
import { describe, expect, it } from 'vitest';
import { edgesTable, topFlags } from '../../src/report/edges-table.ts';
import { makeRunOutput } from '../fixtures/run-output.ts';

const f = (mean: number) => ({ mean, lo: mean, hi: mean });

describe('edges table', () => {
  const summary = makeRunOutput().summary;
  const html = edgesTable(summary)!;
  const group = (variant: string) => html.slice(html.indexOf(`colspan="8">${variant}<`), html.indexOf('</tbody>', html.indexOf(`colspan="8">${variant}<`)));
  const rows = (variant: string) =>
    [...group(variant).matchAll(/<tr><th scope="row">(.*?)<\/th>(.*?)<\/tr>/g)].map((m) => [m[1], [...m[2]!.matchAll(/<td>([^<]*)<\/td>/g)].map((c) => c[1])]);

  it('has a group per variant with its edges from the entry down the chain', () => {
    expect(html.startsWith('<table class="results edges">')).toBe(true);
    expect(html).toContain(
      '<thead><tr><th scope="col">caller → callee</th><th>requests</th><th>attempts</th><th>retries<span class="unit">sent or refused</span></th><th>rejected<span class="unit">retries refused</span></th><th>overflows<span class="unit">breaker (UO)</span></th><th>success<span class="unit">%</span></th><th>top flags</th></tr></thead>',
    );
    expect([...html.matchAll(/<tbody>/g)]).toHaveLength(3);
    // The fixture lists payments → ledger first; the table starts from the entry.
    expect(rows('l4').map((r) => r[0])).toEqual(['frontend → payments <span class="tag">entry</span>', 'payments → ledger']);
  });

  it('prints counts with their CI, success in %, and the commonest flags', () => {
    const entry = summary.variants[0]!.edges[1]!;
    const [, cells] = rows('l4')[0]!;
    expect(cells).toHaveLength(7);
    expect(cells![0]).toMatch(/^\d{3},\d{3} ±[\d,]+$/);
    expect(cells![5]).toBe(`${(100 * entry.successRate.mean).toFixed(1)} ±${((100 * (entry.successRate.hi - entry.successRate.lo)) / 2).toFixed(1)}`);
    expect(cells![6]).toMatch(/^UT [\d,]+, UO \d+$/);
    // l7-p2c: a retry budget refused retries, no flags.
    const [, p2c] = rows('l7-p2c')[0]!;
    expect(p2c![3]).not.toBe('0');
    expect(p2c![6]).toBe('–');
  });

  it('orders flags by count and keeps three', () => {
    expect(topFlags({ UF: f(2.5), UT: f(40), UO: f(40), UH: f(1), DC: f(0) })).toBe('UO 40, UT 40, UF 2.5');
    expect(topFlags({ UT: f(16512.667), UC: f(0.333) })).toBe('UT 16,513, UC 0.3');
    expect(topFlags({})).toBe('–');
  });

  it('escapes names and leaves the table out without a call graph', () => {
    const odd = makeRunOutput().summary;
    odd.variants[0]!.name = '<b>l4</b>';
    expect(edgesTable(odd)).toContain('colspan="8">&lt;b&gt;l4&lt;/b&gt;</th>');
    const plain = makeRunOutput().summary;
    for (const v of plain.variants) v.edges = v.edges.filter((e) => e.entry).map((e) => ({ ...e, retries: f(0), retriesRejected: f(0) }));
    expect(edgesTable(plain)).toBeUndefined();
  });
});
