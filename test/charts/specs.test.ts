// Snapshot and shape tests of every chart spec built from the fixture run; each spec must also
// compile in Vega-Lite without a single warning.
import { describe, expect, it } from 'vitest';
import { chartNames, charts } from '../../src/charts/index.ts';
import { renderSvgChecked } from '../../src/report/render.ts';
import { makeRunOutput, runOutput } from '../fixtures/run-output.ts';

/** All numbers in inline data, however deep. */
function numbersIn(value: unknown, out: number[] = []): number[] {
  if (typeof value === 'number') out.push(value);
  else if (Array.isArray(value)) for (const v of value) numbersIn(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) numbersIn(v, out);
  return out;
}

describe('chart registry', () => {
  it('names every chart meshsim writes', () => {
    expect(chartNames).toEqual([
      'ejection-timeline',
      'certificate-timeline',
      'valid-certificates-and-errors',
      'csr-queue-wait',
      'offered-attempted-goodput',
      'success-and-p99-over-time',
      'errors-by-variant',
      'attempts-per-request-by-tier',
      'retry-gauges',
      'subset-share',
      'pod-share',
      'pod-share-over-time',
      'latency-p99',
      'pod-utilization-heatmap',
      'connections-over-time',
      'latency-percentiles',
      'timeseries',
      'pod-utilization',
    ]);
  });

  for (const name of chartNames) {
    describe(name, () => {
      const built = charts[name](runOutput);
      if (built === undefined) throw new Error(`${name} draws nothing for the fixture run`);
      const spec = built;

      it('matches its snapshot', async () => {
        await expect(`${JSON.stringify(spec, null, 2)}\n`).toMatchFileSnapshot(`./__snapshots__/${name}.vl.json.snap`);
      });

      it('renders without Vega-Lite or vega warnings', async () => {
        const { warnings } = await renderSvgChecked(spec);
        expect(warnings).toEqual([]);
      });

      it('is pure: the same input gives the same spec and the input is not modified', () => {
        const input = makeRunOutput();
        const before = JSON.stringify(input);
        expect(JSON.stringify(charts[name](input))).toBe(JSON.stringify(spec));
        expect(JSON.stringify(input)).toBe(before);
      });

      it('carries inline data rounded to at most 6 significant digits', () => {
        const data = (spec as { data?: { values?: unknown } }).data?.values;
        expect(Array.isArray(data)).toBe(true);
        for (const x of numbersIn(data)) expect(Number(x.toPrecision(6))).toBe(x);
      });

      it('has a title that says what it shows and over how many replications', () => {
        const title = (spec as { title: { text: string } }).title.text;
        expect(title).toMatch(/3 replications/);
      });
    });
  }
});
