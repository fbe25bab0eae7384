// A canary at a glance: for each service with subsets, the share of its requests each subset took and
// each subset's success rate, per variant. With an L7 route the shares follow the weights (plus header
// matches); without one they follow the replicas and the connections kube-proxy happened to pin.
import type { TopLevelSpec } from 'vega-lite';
import type { RunOutput } from '../observe/types.ts';
import { sig } from './numbers.ts';
import { config, replicationPhrase, SCHEMA, variantNames } from './theme.ts';

interface Row {
  variant: string;
  subset: string;
  measure: string;
  mean: number;
  lo: number;
  hi: number;
  label: string;
  counted: string;
}

const SHARE = 'share of requests (%)';
const SUCCESS = 'success rate (%)';

export function subsetShare(output: RunOutput): TopLevelSpec | undefined {
  const variants = output.summary.variants.filter((v) => (v.subsets ?? []).length > 0);
  if (variants.length === 0) return undefined;
  const services = new Set(variants.flatMap((v) => v.subsets.map((s) => s.service)));
  const name = (s: { service: string; subset: string }) => (services.size > 1 ? `${s.service}@${s.subset}` : s.subset);
  const rows: Row[] = [];
  for (const v of variants)
    for (const s of v.subsets) {
      const counted = s.countedAt === 'route' ? 'as routed' : 'at the pods (no L7 route)';
      for (const [measure, f] of [
        [SHARE, s.share],
        [SUCCESS, s.successRate],
      ] as const) {
        if (!Number.isFinite(f.mean)) continue;
        // A t-interval over few replications can reach past 0 or 100 %; the bars show the possible part.
        const pct = (x: number) => sig(Math.min(100, Math.max(0, 100 * x)));
        const mean = pct(f.mean);
        rows.push({ variant: v.name, subset: name(s), measure, mean, lo: pct(f.lo), hi: pct(f.hi), label: `${sig(mean, 3)}%`, counted });
      }
    }
  const subsets = [...new Set(rows.map((r) => r.subset))];
  const only = services.size === 1 ? ` of ${[...services][0]}` : '';
  return {
    $schema: SCHEMA,
    config,
    title: {
      text: `Requests per subset${only}: share and success rate (${replicationPhrase(output)})`,
      subtitle: [
        'counted per request as the route sent it (Envoy: its retries stay in the subset), per try under Linkerd',
        '(each retry picks a backend again), or at the pods where no L7 route splits',
        'success rate: requests that ended OK, after the proxy’s retries, over requests sent to the subset',
      ],
    },
    data: { values: rows },
    facet: { column: { field: 'measure', type: 'nominal', sort: [SHARE, SUCCESS], title: null, header: { labelFontSize: 13, labelFontWeight: 'bold' } } },
    resolve: { scale: { x: 'independent' } },
    spec: {
      width: 300,
      height: { step: 14 * Math.max(2, subsets.length) },
      encoding: {
        y: { field: 'variant', type: 'nominal', sort: variantNames(output), title: null, axis: { labelFontSize: 12 } },
        yOffset: { field: 'subset', type: 'nominal', sort: subsets },
      },
      layer: [
        {
          mark: { type: 'bar', height: { band: 0.9 } },
          encoding: {
            x: { field: 'mean', type: 'quantitative', title: null, scale: { domain: [0, 100] } },
            color: { field: 'subset', type: 'nominal', sort: subsets, title: 'subset', scale: { scheme: 'dark2' }, legend: { orient: 'bottom' } },
            tooltip: [
              { field: 'variant' },
              { field: 'subset' },
              { field: 'measure' },
              { field: 'mean', title: 'mean (%)' },
              { field: 'lo', title: '95% CI low' },
              { field: 'hi', title: '95% CI high' },
              { field: 'counted' },
            ],
          },
        },
        { mark: { type: 'rule', color: '#333' }, encoding: { x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } } },
        {
          mark: { type: 'text', align: 'left', dx: 4, fontSize: 11, color: '#333' },
          encoding: { x: { field: 'hi', type: 'quantitative' }, text: { field: 'label' } },
        },
      ],
    },
  } as TopLevelSpec;
}
