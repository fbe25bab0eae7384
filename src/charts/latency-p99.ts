// p99 latency by variant: one bold bar per variant with the replication 95% CI as a whisker and
// the value printed beside it. When the variants span more than 20× the axis turns logarithmic
// and the bars become dots (a bar's length means nothing on a log axis).
import type { TopLevelSpec } from 'vega-lite';
import type { RunOutput } from '../observe/types.ts';
import { sig, wantsLogScale } from './numbers.ts';
import { config, PLOT_WIDTH, replicationPhrase, SCHEMA, variantColor } from './theme.ts';

/** "209 ms", "25.3 ms", "4.26 ms", "1,234 ms". */
function msText(x: number): string {
  if (!Number.isFinite(x)) return '–';
  const rounded = String(x >= 1000 ? Math.round(x) : sig(x, 3));
  return `${rounded.replace(/\B(?=(\d{3})+(?!\d))/g, ',')} ms`;
}

export function latencyP99(output: RunOutput): TopLevelSpec {
  const variants = output.summary.variants;
  const means = variants.map((v) => v.metrics.latencyMs.p99.mean);
  const log = wantsLogScale(means);
  const positive = means.filter((m) => m > 0);
  // A CI can reach below zero with few replications: clip it at zero, or (log) at half the smallest mean.
  const floor = log ? Math.min(...positive) / 2 : 0;
  const rows = variants.map((v) => {
    const f = v.metrics.latencyMs.p99;
    return { variant: v.name, mean: sig(f.mean), lo: sig(Math.max(floor, f.lo)), hi: sig(Math.max(floor, f.hi)), label: msText(f.mean) };
  });
  // Room right of the longest whisker for its label (~70 px of 640).
  const top = Math.max(...rows.map((r) => r.hi), 1);
  const domain = log ? [sig(floor), sig(top * (top / floor) ** 0.15)] : [0, sig(top * 1.18)];
  const x = {
    field: 'mean',
    type: 'quantitative' as const,
    title: 'p99 latency (ms)',
    scale: log ? { type: 'log' as const, domain, nice: false } : { domain, nice: false },
    axis: { grid: true, tickCount: 8 },
  };
  const y = { field: 'variant', type: 'nominal' as const, sort: variants.map((v) => v.name), title: 'variant', axis: { labelFontSize: 13 } };
  const whiskers = rows.some((r) => r.lo < r.hi);
  const tooltip = [
    { field: 'variant' },
    { field: 'mean', title: 'p99 mean (ms)' },
    { field: 'lo', title: '95% CI low (ms)' },
    { field: 'hi', title: '95% CI high (ms)' },
  ];
  const whisker = (field: string) => ({ mark: { type: 'tick' as const, color: '#222', opacity: 1, thickness: 2, size: 14 }, encoding: { x: { ...x, field } } });
  return {
    $schema: SCHEMA,
    title: {
      text: `p99 latency by variant (${replicationPhrase(output)})`,
      subtitle: [
        `${log ? 'dot' : 'bar'}: mean of the replications' p99${whiskers ? '; whisker: 95% confidence interval' : ''}`,
        ...(log ? ['log scale: the variants span more than 20×'] : []),
      ],
    },
    width: PLOT_WIDTH,
    height: { step: 36 },
    data: { values: rows },
    encoding: { y },
    layer: [
      log
        ? { mark: { type: 'point', filled: true, size: 220, opacity: 1 }, encoding: { x, color: variantColor(output, false), tooltip } }
        : { mark: { type: 'bar', height: { band: 0.7 } }, encoding: { x, color: variantColor(output, false), tooltip } },
      ...(whiskers
        ? [
            { mark: { type: 'rule' as const, color: '#222', strokeWidth: 2 }, encoding: { x: { ...x, field: 'lo' }, x2: { field: 'hi' } } },
            whisker('lo'),
            whisker('hi'),
          ]
        : []),
      {
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 8, fontSize: 13, fontWeight: 'bold', color: '#222' },
        encoding: { x: { ...x, field: 'hi' }, text: { field: 'label' } },
      },
    ],
    config,
  };
}
