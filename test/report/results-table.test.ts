// The results tables, in report.html and on the terminal (src/cli/table.ts): the balancing
// columns — idle pods, connections opened, proxy CPU and memory — appear only when some variant
// has a non-zero value, so a run without a mesh keeps a compact table; goodput and attempts per
// request only when some variant retried (or, in the report, calls go deeper than one tier).
import { describe, expect, it } from 'vitest';
import { resultsTable as cliTable } from '../../src/cli/table.ts';
import type { Summary } from '../../src/observe/types.ts';
import { formatFigure } from '../../src/report/figures.ts';
import { resultsColumns, resultsTable, showsCallGraph } from '../../src/report/results-table.ts';
import { makeRunOutput } from '../fixtures/run-output.ts';

const zero = { mean: 0, lo: 0, hi: 0 };

const one = { mean: 1, lo: 1, hi: 1 };

/** The fixture summary without retries: one entry edge per variant, one try per request. */
function noRetries(summary: Summary): Summary {
  for (const v of summary.variants) {
    v.edges = v.edges.filter((e) => e.entry).map((e) => ({ ...e, attempts: e.requests, retries: zero, retriesRejected: zero }));
    v.metrics.attemptsPerRequest = one;
  }
  return summary;
}

/** The fixture summary with the balancing metrics of every variant set to zero, and no retries. */
function plainSummary(): Summary {
  const summary = noRetries(makeRunOutput().summary);
  for (const v of summary.variants) {
    v.metrics.idlePodFraction = zero;
    v.metrics.connectionsOpened = zero;
    v.metrics.proxyCpuCores = zero;
    v.metrics.proxyMemoryMb = zero;
  }
  return summary;
}

describe('report results table', () => {
  it('shows idle pods, connections opened, proxy CPU and memory when some variant has them', () => {
    const summary = noRetries(makeRunOutput().summary);
    expect(resultsColumns(summary).map((c) => c.title)).toEqual([
      'throughput',
      'success rate',
      'p50 latency',
      'p99 latency',
      'p99.9 latency',
      'max/mean pod load',
      'idle pods',
      'connections opened',
      'proxy CPU',
      'proxy memory',
    ]);
    const html = resultsTable(summary);
    expect(html).toContain('<th>proxy CPU<span class="unit">cores</span></th><th>proxy memory<span class="unit">MB</span></th>');
    expect(html).toMatch(/Idle pods: pods that served under 1% of a fair share/);
    // l4: idle pods 57% ±…, no proxy; l7-rr: no idle pods, 1.20 cores, 960 MB.
    const cells = (variant: string) => [...html.matchAll(new RegExp(`<th scope="row">${variant}</th>(.*)</tr>`, 'g'))][0]![1]!.match(/<td>[^<]*<\/td>/g)!;
    expect(cells('l4').slice(6)).toEqual(['<td>57 ±38</td>', '<td>0</td>', '<td>0</td>', '<td>0</td>']);
    expect(cells('l7-rr').slice(6)).toEqual(['<td>0</td>', '<td>60.7 ±1.4</td>', '<td>1.20 ±0.01</td>', '<td>960</td>']);
  });

  it('leaves each balancing column out when every variant has zero', () => {
    const summary = plainSummary();
    expect(resultsColumns(summary)).toHaveLength(6);
    expect(resultsTable(summary)).not.toMatch(/idle pods|proxy|connections/);
    summary.variants[1]!.metrics.proxyMemoryMb = { mean: 960, lo: 960, hi: 960 };
    expect(
      resultsColumns(summary)
        .map((c) => c.title)
        .slice(6),
    ).toEqual(['proxy memory']);
  });

  it('adds goodput and attempts per request when some variant retried or calls go deeper than one tier', () => {
    const summary = makeRunOutput().summary;
    expect(
      resultsColumns(summary)
        .map((c) => c.title)
        .slice(0, 4),
    ).toEqual(['throughput', 'goodput', 'success rate', 'attempts per request']);
    const html = resultsTable(summary);
    expect(html).toContain('<th>goodput<span class="unit">requests/s</span></th>');
    expect(html).toMatch(/Goodput: requests answered OK per second\. Attempts per request: tries/);
    const l4 = summary.variants[0]!.metrics;
    const cells = [...html.matchAll(/<th scope="row">l4<\/th>(.*)<\/tr>/g)][0]![1]!.match(/<td>[^<]*<\/td>/g)!;
    expect(cells[1]).toBe(`<td>${formatFigure(l4.goodputRps, { digits: 4 })}</td>`);
    expect(cells[3]).toMatch(/^<td>1\.\d{3} ±0\.\d{3}<\/td>$/);
    // A second tier alone is enough, without a single retry…
    const deep = makeRunOutput().summary;
    for (const v of deep.variants) for (const e of v.edges) e.retries = e.retriesRejected = zero;
    expect(showsCallGraph(deep)).toBe(true);
    // …and so is one retry on the only tier.
    const shallow = noRetries(makeRunOutput().summary);
    expect(showsCallGraph(shallow)).toBe(false);
    shallow.variants[2]!.edges[0]!.retries = { mean: 1, lo: 0, hi: 2 };
    expect(showsCallGraph(shallow)).toBe(true);
  });

  it('prints a dash for a figure that does not exist (no requests measured)', () => {
    const summary = plainSummary();
    summary.variants[0]!.metrics.successRate = { mean: Number.NaN, lo: Number.NaN, hi: Number.NaN };
    expect(resultsTable(summary)).toContain('<th scope="row">l4</th><td>');
    expect(resultsTable(summary)).toMatch(/<th scope="row">l4<\/th><td>[^<]+<\/td><td>–<\/td>/);
  });
});

describe('terminal results table', () => {
  it('adds only "idle pods" and "proxy cpu", and only when some variant has them', () => {
    const lines = cliTable(noRetries(makeRunOutput().summary)).split('\n');
    expect(lines[0]).toMatch(/^variant\s+rps\s+p50\s+p99\s+p99\.9\s+errors\s+max\/mean pod load\s+idle pods\s+proxy cpu$/);
    expect(lines[1]).toMatch(/^l4\s.*\s57% ±38\s+0\.00$/);
    expect(lines[2]).toMatch(/^l7-rr\s.*\s0%\s+1\.20 ±0\.01$/);
    const plain = cliTable(plainSummary()).split('\n');
    expect(plain[0]).toMatch(/max\/mean pod load$/);
    expect(Math.max(...plain.map((l) => l.length))).toBeLessThan(Math.max(...lines.map((l) => l.length)));
  });

  it('adds "goodput" and "att/req" when some variant sent other than one try per request', () => {
    const summary = makeRunOutput().summary;
    const lines = cliTable(summary).split('\n');
    expect(lines[0]).toMatch(/^variant\s+rps\s+goodput\s+p50\s+p99\s+p99\.9\s+errors\s+att\/req\s+max\/mean pod load\s+idle pods\s+proxy cpu$/);
    const att = summary.variants[0]!.metrics.attemptsPerRequest;
    expect(lines[1]).toContain(` ${att.mean.toFixed(2)} ±${((att.hi - att.lo) / 2).toFixed(2)} `);
    // 1.004 prints as 1.00: not worth two columns.
    const barely = noRetries(makeRunOutput().summary);
    barely.variants[1]!.metrics.attemptsPerRequest = { mean: 1.004, lo: 1.003, hi: 1.005 };
    expect(cliTable(barely).split('\n')[0]).not.toMatch(/goodput|att\/req/);
    barely.variants[1]!.metrics.attemptsPerRequest = { mean: 1.006, lo: 1.005, hi: 1.007 };
    expect(cliTable(barely).split('\n')[0]).toMatch(/goodput.*att\/req/);
  });
});
