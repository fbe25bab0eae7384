// The results tables, in report.html and on the terminal (src/cli/table.ts): the balancing
// columns — idle pods, connections opened, proxy CPU and memory — appear only when some variant
// has a non-zero value, so a run without a mesh keeps a compact table.
import { describe, expect, it } from 'vitest';
import { resultsTable as cliTable } from '../../src/cli/table.ts';
import type { Summary } from '../../src/observe/types.ts';
import { resultsColumns, resultsTable } from '../../src/report/results-table.ts';
import { makeRunOutput } from '../fixtures/run-output.ts';

const zero = { mean: 0, lo: 0, hi: 0 };

/** The fixture summary with the balancing metrics of every variant set to zero. */
function plainSummary(): Summary {
  const summary = makeRunOutput().summary;
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
    const summary = makeRunOutput().summary;
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

  it('prints a dash for a figure that does not exist (no requests measured)', () => {
    const summary = plainSummary();
    summary.variants[0]!.metrics.successRate = { mean: Number.NaN, lo: Number.NaN, hi: Number.NaN };
    expect(resultsTable(summary)).toContain('<th scope="row">l4</th><td>');
    expect(resultsTable(summary)).toMatch(/<th scope="row">l4<\/th><td>[^<]+<\/td><td>–<\/td>/);
  });
});

describe('terminal results table', () => {
  it('adds only "idle pods" and "proxy cpu", and only when some variant has them', () => {
    const lines = cliTable(makeRunOutput().summary).split('\n');
    expect(lines[0]).toMatch(/^variant\s+rps\s+p50\s+p99\s+p99\.9\s+errors\s+max\/mean pod load\s+idle pods\s+proxy cpu$/);
    expect(lines[1]).toMatch(/^l4\s.*\s57% ±38\s+0\.00$/);
    expect(lines[2]).toMatch(/^l7-rr\s.*\s0%\s+1\.20 ±0\.01$/);
    const plain = cliTable(plainSummary()).split('\n');
    expect(plain[0]).toMatch(/max\/mean pod load$/);
    expect(Math.max(...plain.map((l) => l.length))).toBeLessThan(Math.max(...lines.map((l) => l.length)));
  });
});
