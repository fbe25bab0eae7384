// Spec → SVG → PNG: byte-identical on every run, with real text (the bundled DejaVu fonts), and
// text widths measured from the font rather than vega's 0.8 em guess.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { charts } from '../../src/charts/index.ts';
import { fontFiles, renderChart, svgToPng } from '../../src/report/render.ts';
import { advanceWidth, vegaTextWidth } from '../../src/report/text-metrics.ts';
import { runOutput } from '../fixtures/run-output.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

describe('renderChart', () => {
  it('gives byte-identical SVG and PNG for the same spec', async () => {
    const spec = charts['pod-share'](runOutput);
    const a = await renderChart(spec);
    const b = await renderChart(structuredClone(spec));
    expect(a.svg).toBe(b.svg);
    expect(a.png.equals(b.png)).toBe(true);
  });

  it('writes the title as SVG text in DejaVu Sans', async () => {
    const { svg } = await renderChart(charts['latency-percentiles'](runOutput));
    expect(svg).toContain('Latency percentiles by variant (mean of 3 replications, 95% CI)');
    expect(svg).toContain('latency (ms)');
    expect(svg).toMatch(/font-family="DejaVu Sans"/);
  });

  it('draws a 2× PNG', async () => {
    const { svg, png } = await renderChart(charts.timeseries(runOutput));
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const width = Number(/<svg[^>]* width="(\d+(?:\.\d+)?)"/.exec(svg)![1]);
    expect(pngSize(png).width).toBe(Math.round(width * 2));
  });

  it('draws text into the PNG (resvg silently drops text when no font matches)', async () => {
    const frame = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="200" height="40" fill="white"/>${body}</svg>`;
    const blank = await svgToPng(frame(''));
    for (const family of ['DejaVu Sans', 'sans-serif', 'Some Missing Font']) {
      const text = await svgToPng(frame(`<text x="10" y="28" font-family="${family}" font-size="20">p99 latency</text>`));
      expect(text.equals(blank), family).toBe(false);
    }
  });
});

describe('text metrics', () => {
  const [regularFile, boldFile] = fontFiles();
  const regular = advanceWidth(readFileSync(regularFile!));
  const bold = advanceWidth(readFileSync(boldFile!));
  const width = vegaTextWidth(regular, bold);

  it('reads advance widths from the font (DejaVu Sans: "i" is 0.278 em, "W" 0.989 em)', () => {
    expect(regular('i', 1000)).toBeCloseTo(278, 0);
    expect(regular('W', 1000)).toBeCloseTo(989, 0);
    expect(bold('W', 12)).toBeGreaterThan(regular('W', 12));
  });
  it('measures like vega: trimmed, 11 px by default, bold by weight', () => {
    expect(width({}, '  abc ')).toBeCloseTo(regular('abc', 11));
    expect(width({ fontSize: 16, fontWeight: 'bold' }, 'Title')).toBeCloseTo(bold('Title', 16));
    expect(width({ fontSize: 16, fontWeight: 700 }, 'Title')).toBeCloseTo(bold('Title', 16));
  });
  it('truncates to the item limit with an ellipsis', () => {
    const full = width({ fontSize: 12 }, 'payments.Payments/Charge');
    const limited = width({ fontSize: 12, limit: full / 2 }, 'payments.Payments/Charge');
    expect(limited).toBeLessThan(full / 2);
    expect(limited).toBeGreaterThan(full / 4);
  });
});
